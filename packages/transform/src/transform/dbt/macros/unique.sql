{#
  dbt's built-in `unique` test on DuckDB (dbt dispatches `test_unique` to the root project first):
  the same result as dbt's own (each repeated value with its count), found the way
  `unique_combination` finds it. Values are first grouped on their 64-bit hash, eight bytes a row
  instead of the value's text, so millions of keys (Adressa's event keys) fit in memory; only
  values whose hash repeats are then grouped on themselves, so a collision cannot fail the test.
  Written here rather than taken from a dbt package: packages install from dbt's hub, which is not
  reachable offline.
#}
{% macro duckdb__test_unique(model, column_name) %}
with

repeated_hashes as (

    select hash({{ column_name }}) as value_hash
    from {{ model }}
    where {{ column_name }} is not null
    group by value_hash
    having count(*) > 1

),

candidates as (

    select {{ column_name }} as unique_field
    from {{ model }}
    where {{ column_name }} is not null
        and hash({{ column_name }}) in (select value_hash from repeated_hashes)

)

select
    unique_field,
    count(*) as n_records

from candidates
group by unique_field
having count(*) > 1
{% endmacro %}
