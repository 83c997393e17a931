"""Demo data: the five seed löften (`seeds`) and the loader behind `manage.py load_demo`."""
