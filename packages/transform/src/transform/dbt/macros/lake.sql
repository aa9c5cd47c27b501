{#
  The raw lake holds every Parquet file dlt ever wrote, including those of loads that did not
  finish. A row is visible only when its (_source_file, _dlt_load_id) is listed in the inventory
  (`source_files`) written by the newest finished load (docs/lake.md). The sources read the lake
  through this table macro, so no model can see a half-written load.
#}
{% macro create_lake_macros() %}
create or replace macro main.lake_visible_rows(dataset_name, table_name) as table
with finished_load as (
    select max(cast(load_id as decimal(30, 10))) as load_id
    from read_json(
        '{{ lake_root() }}/' || dataset_name || '/_dlt_loads/*.jsonl',
        columns = {load_id: 'varchar', status: 'bigint'}
    )
    where status = 0
),

current_files as (
    select source_file, rows_load_id
    from read_parquet('{{ lake_root() }}/' || dataset_name || '/source_files/*.parquet')
    where cast(_dlt_load_id as decimal(30, 10)) = (select load_id from finished_load)
)

select lake_rows.*
from read_parquet(
    '{{ lake_root() }}/' || dataset_name || '/' || table_name || '/*.parquet', union_by_name = true
) as lake_rows
semi join current_files
    on lake_rows._source_file = current_files.source_file
    and lake_rows._dlt_load_id = current_files.rows_load_id
{% endmacro %}


{#
  `source()` for a raw lake table, or an empty relation with the documented columns (and the
  provenance columns every raw table carries) while the
  table has no finished load yet (a publisher never ingested, or its first load killed): one
  missing publisher must not stop the others from building.
#}
{% macro lake_source(source_name, table_name) %}
    {%- set relation = source(source_name, table_name) -%}
    {%- if execute and model.resource_type != 'unit_test'
        and not lake_table_ready(source_name, table_name) -%}
        {{ log("lake: " ~ source_name ~ "." ~ table_name ~ " has no finished load; reading it as empty", info=true) }}
        {{ empty_source(source_name, table_name) }}
    {%- else -%}
        {{ relation }}
    {%- endif -%}
{% endmacro %}


{% macro lake_table_ready(source_name, table_name) %}
    {%- set root = lake_root() ~ '/' ~ source_name -%}
    {%- set query -%}
        select
            (select count(*) from glob('{{ root }}/_dlt_loads/*.jsonl')) > 0
            and (select count(*) from glob('{{ root }}/source_files/*.parquet')) > 0
            and (select count(*) from glob('{{ root }}/{{ table_name }}/*.parquet')) > 0
    {%- endset -%}
    {{ return(run_query(query).columns[0].values()[0]) }}
{% endmacro %}


{% macro empty_source(source_name, table_name) %}
    {%- set node = graph.sources.values()
        | selectattr('source_name', 'equalto', source_name)
        | selectattr('name', 'equalto', table_name)
        | first -%}
    (
        select
        {%- for column in node.columns.values() %}
            cast(null as {{ column.data_type }}) as {{ adapter.quote(column.name) }},
        {%- endfor %}
            cast(null as varchar) as _source_file,
            cast(null as varchar) as _source_member,
            cast(null as varchar) as _dataset,
            cast(null as varchar) as _split,
            cast(null as bigint) as _row_number,
            cast(null as varchar) as _dlt_load_id
        where false
    )
{% endmacro %}


{# `$NEWSREC_DATA_DIR/lake`: the only place the models name the data directory. #}
{% macro lake_root() %}
    {{- return(env_var('NEWSREC_DATA_DIR') ~ '/lake') -}}
{% endmacro %}
