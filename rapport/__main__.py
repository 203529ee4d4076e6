from rapport.cli import main

main()
