{# Models land in the schema their folder names (staging, marts, editorial), not `main_staging`. #}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name | trim if custom_schema_name else target.schema }}
{%- endmacro %}
