from hazeguard.cli import main

main()
