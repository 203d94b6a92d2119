from finance.cli import app

app()
