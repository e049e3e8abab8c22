from devtools.benchmarks.suite import main

raise SystemExit(main())
