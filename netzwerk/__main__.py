from netzwerk.cli import main

main()
