from localdev.benchload.run import main

main()
