{#
  Every model of the project written as Parquet, one folder per model (`<to>/<schema>.<name>/`),
  whatever the engine: how the two engines' builds are compared row for row, and how Spark's
  build is read by tools that do not speak to Spark.

    dbt run-operation export_parquet --args '{to: /some/folder}' [--target spark]

  `schemas` limits it to those schemas (default: every model's).
#}
{% macro export_parquet(to, schemas=none) %}
    {%- set exported = [] -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.config.enabled
        and (schemas is none or node.schema in schemas) -%}
        {%- set relation = adapter.get_relation(
            database=node.database, schema=node.schema, identifier=node.alias
        ) -%}
        {%- if relation is not none -%}
            {%- set folder = to ~ '/' ~ node.schema ~ '.' ~ node.alias -%}
            {%- do run_query(export_parquet_statement(relation, folder)) -%}
            {%- do exported.append(node.schema ~ '.' ~ node.alias) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ log("exported " ~ exported | length ~ " models to " ~ to, info=true) }}
{% endmacro %}

{% macro export_parquet_statement(relation, folder) %}
    {{ return(adapter.dispatch('export_parquet_statement')(relation, folder)) }}
{% endmacro %}

{% macro duckdb__export_parquet_statement(relation, folder) %}
    copy (select * from {{ relation }}) to '{{ folder }}'
    (format parquet, per_thread_output true, overwrite true)
{% endmacro %}

{% macro spark__export_parquet_statement(relation, folder) %}
    insert overwrite directory '{{ folder }}' using parquet select * from {{ relation }}
{% endmacro %}
