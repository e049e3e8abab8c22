"""Speed and memory figures of the generator, the loader, the summaries and the DAG.

`make bench` (`python -m benchmarks`) prints one `name=value` line per figure and a few
`#` lines for people. Everything runs against a scratch database `bench_<pid>` created on
the server in use (CCA_DATABASE_URL's, else the embedded one) and dropped at the end.
"""
