from pakru.cli import run

run()
