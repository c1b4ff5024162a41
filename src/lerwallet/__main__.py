from lerwallet.cli import main

main()
