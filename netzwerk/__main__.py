from netzwerk.cli import cli

cli()
