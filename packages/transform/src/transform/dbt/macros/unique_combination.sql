{#
  A composite key: no two rows share the same values in `columns` (dbt_utils'
  `unique_combination_of_columns`, written here: dbt packages install from dbt's hub, which is not
  reachable offline).

  Rows are first grouped on a 64-bit hash of the key: eight bytes a row instead of the key's text,
  so the ten million keys of the candidate-grain models fit in memory rather than spilling. Only
  the rows whose hash repeats are then grouped on the key itself, so a hash collision cannot fail
  the test; a passing model (no repeated hash) is read once.
#}
{% test unique_combination(model, columns) %}
with

repeated_hashes as (

    select hash({{ columns | join(', ') }}) as key_hash
    from {{ model }}
    group by key_hash
    having count(*) > 1

),

candidates as (

    select {{ columns | join(', ') }}
    from {{ model }}
    where hash({{ columns | join(', ') }}) in (select key_hash from repeated_hashes)

)

select {{ columns | join(', ') }}, count(*) as occurrences
from candidates
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
