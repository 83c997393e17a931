FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# gettext compiles translations; Pango is WeasyPrint's text layout for PDF reports.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN SECRET_KEY=build-only python manage.py compilemessages --ignore=.venv \
    && SECRET_KEY=build-only python manage.py collectstatic --noinput

RUN useradd --system --home /app medborgarlofte && mkdir -p /app/media && chown medborgarlofte /app/media
USER medborgarlofte
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py load_reference_data && python manage.py setup_staff_groups && exec gunicorn medborgarlofte.wsgi:application -c gunicorn.conf.py"]
