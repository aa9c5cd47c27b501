-- The lake's visibility rule, written once (docs/lake.md, "Which rows are visible"). The
-- ingestion, the tests and dbt (through the plugin in the transform package) run this file on
-- their DuckDB connection with `ingestion.install_lake_rules`, which first defines `lake_root()`,
-- the lake folder. Every macro takes a dataset name: `raw_<publisher>`.

create or replace macro lake_dataset_path(dataset_name) as lake_root() || '/' || dataset_name;

-- Loads dlt recorded as finished: its load record is the last file a load writes, renamed into
-- place whole. Load ids are epoch seconds with a varying number of decimals: compare as numbers.
-- recency 1 is the newest.
create or replace macro lake_finished_loads(dataset_name) as table
select
    load_id,
    row_number() over (order by cast(load_id as decimal(30, 10)) desc) as recency
from read_json(
    lake_dataset_path(dataset_name) || '/_dlt_loads/*.jsonl',
    columns = {load_id: 'varchar', status: 'bigint'}
)
where status = 0;

-- The inventories of the finished loads: for each file in the landing folder when the load ran,
-- its size and mtime, its content (size and hash), and the load holding its current rows (null
-- for a duplicate, which has none).
create or replace macro lake_inventories(dataset_name) as table
select
    inventory.source_file,
    inventory.fingerprint,
    inventory.content,
    inventory.rows_load_id,
    inventory.duplicate_of,
    loads.load_id,
    loads.recency
from (
    -- every column, null where an older inventory lacks it
    select
        cast(null as varchar) as source_file,
        cast(null as varchar) as fingerprint,
        cast(null as varchar) as content,
        cast(null as varchar) as rows_load_id,
        cast(null as varchar) as duplicate_of,
        cast(null as varchar) as _dlt_load_id
    where false
    union all by name
    from read_parquet(
        lake_dataset_path(dataset_name) || '/source_files/*.parquet', union_by_name = true
    )
) as inventory
inner join lake_finished_loads(dataset_name) as loads
    on inventory._dlt_load_id = loads.load_id
where inventory.source_file is not null;

-- The inventory written by the newest finished load.
create or replace macro lake_current_inventory(dataset_name) as table
select source_file, fingerprint, content, rows_load_id, duplicate_of
from lake_inventories(dataset_name)
where recency = 1;

-- A row is visible when its (_source_file, _dlt_load_id) is in that inventory.
create or replace macro lake_visible_rows(dataset_name, table_name) as table
select lake_rows.*
from read_parquet(
    lake_dataset_path(dataset_name) || '/' || table_name || '/*.parquet', union_by_name = true
) as lake_rows
semi join lake_current_inventory(dataset_name) as inventory
    on lake_rows._source_file = inventory.source_file
    and lake_rows._dlt_load_id = inventory.rows_load_id;

-- Whether any load record exists, and whether lake_visible_rows can be read: DuckDB fails on a
-- glob that matches nothing, and a publisher never loaded (or whose first load was killed) has
-- no files yet. A table that is not ready reads as empty.
create or replace macro lake_has_loads(dataset_name) as
    exists (from glob(lake_dataset_path(dataset_name) || '/_dlt_loads/*.jsonl'));

create or replace macro lake_dataset_ready(dataset_name) as
    lake_has_loads(dataset_name)
    and exists (from glob(lake_dataset_path(dataset_name) || '/source_files/*.parquet'));

create or replace macro lake_table_ready(dataset_name, table_name) as
    lake_dataset_ready(dataset_name)
    and exists (from glob(lake_dataset_path(dataset_name) || '/' || table_name || '/*.parquet'));

-- Everything a reader sees of a dataset, as one value: the newest finished load's inventory (each
-- file and the load that holds its rows). The same value means the same visible rows, so an
-- incremental build compares it with the value it last built from. Read only when
-- lake_dataset_ready; a dataset that is not ready has no state.
create or replace macro lake_visible_state(dataset_name) as (
    select md5(coalesce(string_agg(
        source_file || '=' || coalesce(rows_load_id, ''), '|' order by source_file
    ), ''))
    from lake_current_inventory(dataset_name)
);

-- The loads whose Parquet files a reader may use: the two newest finished loads (their
-- inventories) and every load either inventory takes rows from. Keeping the one before the
-- newest lets a query that started before the newest load finished read to its end. Files of any
-- other load are of an unfinished or a superseded load, and are deleted.
create or replace macro lake_live_loads(dataset_name) as table
select load_id from lake_finished_loads(dataset_name) where recency <= 2
union
select rows_load_id from lake_inventories(dataset_name)
where recency <= 2 and rows_load_id is not null;
