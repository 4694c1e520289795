from competitions import create_app

app = create_app()
