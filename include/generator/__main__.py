from include.generator.cli import main

raise SystemExit(main())
