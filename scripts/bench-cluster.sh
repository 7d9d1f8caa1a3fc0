# The cluster rows of scripts/bench (SPEC section 6: several nodes on one PostgreSQL
# database). Sourced by scripts/bench, which defines the helpers used here (start_warden,
# load, result, record, get, say, ...) and the variables ($work, $warden, $bench,
# $rounds, $seconds, $warmup, $quick, $pids). `cluster_rows` measures; `cluster_table`
# prints the markdown rows.
#
# The PostgreSQL server: the one of $WARDEN_TEST_POSTGRES_URL (and _PASSWORD), or a
# throwaway one from scripts/postgres-scratch, stopped at the end. Every node runs with
# --scrypt-ln 12: no row here measures password hashing, and each load connection
# authenticates once as admin.

# cluster_server: sets pg_host, pg_port, pg_user, pg_password (and exports the password
# for the nodes, which take it out of their own environment).
cluster_server() {
    if [ -z "${WARDEN_TEST_POSTGRES_URL:-}" ]; then
        say "cluster: starting a throwaway PostgreSQL server (scripts/postgres-scratch)"
        eval "$(scripts/postgres-scratch start)"
        cluster_scratch_dir="$WARDEN_TEST_POSTGRES_DIR"
    fi
    local rest="${WARDEN_TEST_POSTGRES_URL#*://}"
    pg_user="${rest%%@*}"; rest="${rest#*@}"
    pg_host="${rest%%:*}"; rest="${rest#*:}"
    pg_port="${rest%%/*}"
    pg_password="${WARDEN_TEST_POSTGRES_PASSWORD:-}"
    export WARDEN_POSTGRES_PASSWORD="$pg_password"
    case "$pg_host" in 127.*|localhost|::1) ;; *) echo "cluster rows run only against a loopback PostgreSQL" >&2; exit 1 ;; esac
}

# pg DB [psql arguments...]: psql on the cluster's server.
pg() {
    local database="$1"; shift
    PGPASSWORD="$pg_password" psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -d "$database" -X -q -v ON_ERROR_STOP=1 "$@"
}

# cluster_database NAME: a fresh database (dropped by cluster_cleanup).
cluster_database() {
    pg postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"
    cluster_databases+=("$1")
}

cluster_cleanup() {
    for database in ${cluster_databases[@]+"${cluster_databases[@]}"}; do pg postgres -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" 2>/dev/null || true; done
    [ -z "${cluster_scratch_dir:-}" ] || scripts/postgres-scratch stop "$cluster_scratch_dir"
}

# cluster_node NAME: starts a node on the database $cluster_db; sets node_pid[NAME], node_port[NAME].
cluster_node() {
    start_warden "$work/node-$1" --postgres "postgres://$pg_user@$pg_host:$pg_port/$cluster_db?sslmode=disable" \
        --master-key-file "$work/cluster.key" --scrypt-ln 12
    node_pid[$1]=$warden_pid
    node_port[$1]=$warden_port
}
stop_node() { warden_pid=${node_pid[$1]}; stop_warden; rm -rf "$work/node-$1"; }

# pgbench_commits CLIENTS SECONDS: records PostgreSQL's own rate of one-row commits on
# this server (cluster_pgbench), the anchor of the durable-changes row: pgbench's history
# table, one INSERT a transaction, as many clients as Warden has connections.
pgbench_commits() {
    local database="bench_pgbench"
    cluster_database "$database"
    PGPASSWORD="$pg_password" pgbench -h "$pg_host" -p "$pg_port" -U "$pg_user" -i -q -s 1 "$database" >/dev/null 2>&1
    echo "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (1, 1, 1, 1, CURRENT_TIMESTAMP);" >"$work/insert.sql"
    PGPASSWORD="$pg_password" pgbench -h "$pg_host" -p "$pg_port" -U "$pg_user" -n -c "$1" -j 2 -T "$2" \
        -f "$work/insert.sql" "$database" 2>&1 | tee "$work/pgbench.txt" >&2
    record cluster_pgbench "$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$work/pgbench.txt" | head -1)"
    # One client's round trip for a trivial statement: what each statement the writer
    # sends costs at least (it sends them one after another).
    echo "SELECT 1;" >"$work/select1.sql"
    PGPASSWORD="$pg_password" pgbench -h "$pg_host" -p "$pg_port" -U "$pg_user" -n -c 1 -T 2 \
        -f "$work/select1.sql" "$database" 2>&1 | tee "$work/pgbench1.txt" >&2
    record cluster_roundtrip_ms "$(sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' "$work/pgbench1.txt" | head -1)"
}

# write_position: "XID SEQ", the next transaction id of the server and the cluster's
# audit head: between two of them, audit entries per write transaction is the writer's
# batch size (each batch is one transaction).
write_position() {
    pg "$cluster_db" -tA -F ' ' -c "SELECT pg_snapshot_xmax(pg_current_snapshot()), (SELECT seq FROM audit_head)"
}

# cluster_fill USERS: the shape of scripts/gen-scale-data, written straight into the
# tables of a database a node has initialised (and left): 1,000 roles in chains of ten,
# five grants a user (four roles, one direct entitlement). The audit log is left as it
# is: a joining node loads the tables and tails the log from audit_head.seq, so users in
# tables without entries of their own are a consistent state for a load test. The
# identity sequence is moved past the ids given, as an insert would have moved it.
cluster_fill() {
    local users="$1" roles=1000 now_ms=$(( $(date +%s) * 1000 ))
    local last=$(( roles - 1 )) quarter=$(( roles / 4 ))
    pg "$cluster_db" -o /dev/null <<SQL
SET synchronous_commit = off;
BEGIN;
INSERT INTO systems (name, description) VALUES ('scale', 'generated by scripts/bench');
INSERT INTO system_permissions (system, permission) VALUES ('scale', 'read');
INSERT INTO system_permissions (system, permission) SELECT 'scale', 'perm-' || i FROM generate_series(0, $last) i;
INSERT INTO roles (name) SELECT 'role-' || i FROM generate_series(0, $last) i;
INSERT INTO role_entitlements (role, system, permission) SELECT 'role-' || i, 'scale', 'perm-' || i FROM generate_series(0, $last) i;
INSERT INTO role_entitlements (role, system, permission) VALUES ('role-$last', 'scale', 'read');
INSERT INTO role_includes (role, included)
    SELECT 'role-' || i, CASE WHEN i % 10 != 9 THEN 'role-' || (i + 1) ELSE 'role-$last' END FROM generate_series(0, $last - 1) i;
CREATE TEMP TABLE base AS SELECT coalesce(max(id), 0) + 1 AS id FROM users;
INSERT INTO users (id, name, kind, status, created_ms) OVERRIDING SYSTEM VALUE
    SELECT base.id + i, 'user-' || i, 'person', 'active', $now_ms FROM base, generate_series(0, $users - 1) i;
INSERT INTO grants (user_id, role, granted_by, granted_ms)
    SELECT base.id + i, 'role-' || ((i * 37 + j * $quarter) % $roles), 'admin', $now_ms
    FROM base, generate_series(0, $users - 1) i, generate_series(0, 3) j;
INSERT INTO grants (user_id, system, permission, granted_by, granted_ms)
    SELECT base.id + i, 'scale', 'perm-' || (i % $roles), 'admin', $now_ms FROM base, generate_series(0, $users - 1) i;
SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users));
COMMIT;
VACUUM ANALYZE users, grants, roles, role_includes, role_entitlements;
SQL
}

cluster_rows() {
    declare -gA node_pid node_port
    cluster_databases=(); cluster_scratch_dir=""
    cluster_server
    python3 -c 'import os, sys; sys.stdout.buffer.write(os.urandom(32))' >"$work/cluster.key"
    chmod 600 "$work/cluster.key"
    local samples=500 grant_conns=32 check_conns=24
    [ "$quick" = 1 ] && samples=200

    cluster_db="bench_cluster"
    cluster_database "$cluster_db"
    say "cluster: node a initialises $cluster_db on $pg_host:$pg_port"
    cluster_node a

    # Durable changes with node a alone: the writer's group commit against PostgreSQL's own
    # one-row commit rate with as many clients. (The full setup also makes the CHECK
    # users the rows below ask about.)
    for round in $(seq 1 "$rounds"); do
        say "cluster round $round/$rounds: durable GRANT/REVOKE, $grant_conns connections, on one node; pgbench one-row commits"
        local before after
        before=$(write_position)
        load cluster-grant --port "${node_port[a]}" "${common[@]}" --group "conns=$grant_conns,depth=1,mix=grant,caller=shared"
        after=$(write_position)
        # Entries per transaction over the whole load run (its setup, one connection
        # and so one change a transaction, included).
        record cluster_batch "$(echo "$before $after" | awk '{ if ($3 > $1) printf "%.1f", ($4 - $2) / ($3 - $1); else print 0 }')"
        pgbench_commits "$grant_conns" "$seconds"
    done

    # CHECK on one node, then the same connections spread over three nodes. Two cores
    # run PostgreSQL, every node and the load generators: this shows what a node costs,
    # not scale-out.
    local check_admin=(--setup admin --check-prefix bench-u --check-users 100 --check-system bench --check-permission read)
    for round in $(seq 1 "$rounds"); do
        say "cluster round $round/$rounds: CHECK, $check_conns connections x depth 32, one node"
        load cluster-check-1 --port "${node_port[a]}" "${common[@]}" "${check_admin[@]}" --group "conns=$check_conns,depth=32,mix=check"
    done
    cluster_node b
    cluster_node c
    for round in $(seq 1 "$rounds"); do
        say "cluster round $round/$rounds: CHECK, $((check_conns / 3)) connections x depth 32 on each of three nodes at once"
        local load_pids=()
        for node in a b c; do
            load "cluster-check-3$node" --port "${node_port[$node]}" "${common[@]}" "${check_admin[@]}" \
                --group "conns=$((check_conns / 3)),depth=32,mix=check" &
            load_pids+=($!)
        done
        for pid in "${load_pids[@]}"; do wait "$pid"; done
    done

    say "cluster: propagation a -> b, $samples changes"
    for round in $(seq 1 "$rounds"); do
        scripts/bench-propagation --writer-port "${node_port[a]}" --reader-port "${node_port[b]}" --samples "$samples" \
            | tee -a "$work/propagation.txt" >&2
    done
    record cluster_rss_a "$(rss_mib "${node_pid[a]}")"
    for node in a b c; do stop_node "$node"; done

    # Cold start of a node joining a cluster of $scale_users users.
    cluster_db="bench_cold"
    cluster_database "$cluster_db"
    cluster_node init
    stop_node init
    say "cluster: filling $cluster_db with $scale_users users, $((scale_users * 5)) grants (bulk SQL)"
    local started; started=$(now_ns)
    cluster_fill "$scale_users"
    say "cluster: filled in $(awk -v a="$started" -v b="$(now_ns)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }') s"
    for round in $(seq 1 "$rounds"); do
        # The anchor: psql streaming the same tables out of the (warm) server.
        started=$(now_ns)
        pg "$cluster_db" -c "COPY users TO STDOUT" >/dev/null
        pg "$cluster_db" -c "COPY grants TO STDOUT" >/dev/null
        record cluster_copy_s "$(awk -v a="$started" -v b="$(now_ns)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')"
        say "cluster round $round/$rounds: a node joins $scale_users users"
        cluster_node join
        record cluster_start_s "$warden_ready_s"
        record cluster_join_rss "$(rss_mib "${node_pid[join]}")"
        stop_node join
    done
}

# prop FIELD: the median over the rounds of a propagation RESULT field.
prop() { grep "^RESULT $1 " "$work/propagation.txt" | while read -r line; do echo "$line" | field "$2"; done | median; }

cluster_table() {
    local g1 pgb p50 p99 pmax c50 c99 k1 k3a k3b k3c k3 st cp
    g1=$(result cluster-grant grant rate); pgb=$(get cluster_pgbench)
    p50=$(prop propagation p50_ms); p99=$(prop propagation p99_ms); pmax=$(prop propagation max_ms)
    c50=$(prop commit p50_ms); c99=$(prop commit p99_ms)
    k1=$(result cluster-check-1 check rate)
    k3a=$(result cluster-check-3a check rate); k3b=$(result cluster-check-3b check rate); k3c=$(result cluster-check-3c check rate)
    k3=$(awk -v a="$k3a" -v b="$k3b" -v c="$k3c" 'BEGIN { printf "%.0f", a + b + c }')
    st=$(get cluster_start_s); cp=$(get cluster_copy_s)
    echo "| propagation A→B (CHECK on B reflects A's acknowledged GRANT/REVOKE) | p99 ≤ 100 ms | p50 $p50 ms, p99 $p99 ms (max $pmax ms) | the change's own commit on A: p50 $c50 ms, p99 $c99 ms | | $(verdict "$p99 <= 100") |"
    echo "| durable GRANT/REVOKE on PostgreSQL, 32 conns, one node ($(get cluster_batch) changes a commit) | ≥ 5,000/s | $(per_s "$g1") | pgbench one-row INSERT commits, 32 clients: $(per_s "$pgb"); one statement's round trip (pgbench -c 1 SELECT 1): $(get cluster_roundtrip_ms) ms | $(ratio "$g1" "$pgb") x pgbench | $(verdict "$g1 >= 5000") |"
    echo "| CHECK, 24 conns x depth 32: 1 node vs 3 nodes (8 conns each) | (2 cores: no scale-out) | 3 nodes: $(per_s "$k3") total ($(per_s "$k3a") + $(per_s "$k3b") + $(per_s "$k3c")) | 1 node: $(per_s "$k1") | $(ratio "$k3" "$k1") | |"
    echo "| cold start of a node joining $scale_users users | ≤ 5 s | $st s | psql COPY of users + grants: $cp s | $(ratio "$st" "$cp") | $(verdict "$st <= 5") |"
}
