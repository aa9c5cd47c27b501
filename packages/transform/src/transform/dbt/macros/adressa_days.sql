{#
  Adressa's daily files are Oslo days (a file opens at 23:00 or 22:00 UTC the day before), and so
  are the days its impressions are built from: `ts` is a UTC timestamp.
#}
{% macro oslo_date(ts) -%}
    {{ local_date(ts, 'Europe/Oslo') }}
{%- endmacro %}

{# One integer per (release, Oslo day): the key the Adressa sampling joins on. #}
{% macro adressa_day_id(dataset_number, view_day) -%}
    ({{ dataset_number }} * 100000 + {{ days_since_epoch(view_day) }})
{%- endmacro %}
