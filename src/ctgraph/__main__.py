from ctgraph.cli import main

main()
