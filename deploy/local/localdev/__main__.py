from localdev.cli import main

main()
