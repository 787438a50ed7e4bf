from newsmon.cli import run

run()
