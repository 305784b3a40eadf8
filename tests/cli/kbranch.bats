#!/usr/bin/env bats
load helpers

@test "kbranch: taxi rides by total_amount into high/low against Kafka (the DataTalks exercise)" {
  need_kafka
  rides=$(new_topic rides); high=$(new_topic high); low=$(new_topic low)
  kproduce "$rides" "$DATA/yellow_tripdata_sample.csv" --format csv -q
  run kbranch -i "$rides" --route "$high=total_amount >= 40" --default "$low" -e
  [ "$status" -eq 0 ]
  diff <(kconsume "$high" -e -q | canon) <(python3 "$BATS_TEST_DIRNAME/csv2json.py" "$DATA/yellow_tripdata_sample.csv" | jq -c 'select(.total_amount >= 40)' | canon)
  diff <(kconsume "$low" -e -q | canon) <(python3 "$BATS_TEST_DIRNAME/csv2json.py" "$DATA/yellow_tripdata_sample.csv" | jq -c 'select(.total_amount < 40)' | canon)
}

@test "kbranch: three routes and a default; counts add up to the input" {
  need_kafka
  in=$(new_topic in); a=$(new_topic a); b=$(new_topic b); c=$(new_topic c); d=$(new_topic d)
  kproduce "$in" "$DATA/clickevents.ndjson" -q
  run kbranch -i "$in" -r "$a=uri ~ '^/products'" -r "$b=number >= 150" -r "$c=uri == '/cart'" --default "$d" -e
  [ "$status" -eq 0 ]
  na=$(topic_count "$a"); nb=$(topic_count "$b"); nc=$(topic_count "$c"); nd=$(topic_count "$d")
  [ $((na + nb + nc + nd)) -eq 5000 ]
  [ "$na" -eq "$(jq -c 'select(.uri | test("^/products"))' "$DATA/clickevents.ndjson" | wc -l)" ]
  [ "$nb" -eq "$(jq -c 'select((.uri | test("^/products") | not) and .number >= 150)' "$DATA/clickevents.ndjson" | wc -l)" ]
  [ "$nc" -eq "$(jq -c 'select((.uri | test("^/products") | not) and .number < 150 and .uri == "/cart")' "$DATA/clickevents.ndjson" | wc -l)" ]
  [[ "$output" == *"$a=$na $b=$nb $c=$nc $d(default)=$nd unrouted=0"* ]]
}

@test "kbranch --all copies a record to every matching route; no default drops the rest" {
  jq -c '{key: .uri, value: .}' "$DATA/clickevents.ndjson" > "$BATS_TEST_TMPDIR/in"
  run bash -c "kbranch -o - -J --all -r 'big=number >= 150' -r 'prod=uri ~ \"^/products\"' < '$BATS_TEST_TMPDIR/in' 2>'$BATS_TEST_TMPDIR/err' | jq -r .topic | sort | uniq -c | awk '{print \$2\"=\"\$1}' | tr '\n' ' '"
  big=$(jq -c 'select(.number >= 150)' "$DATA/clickevents.ndjson" | wc -l)
  prod=$(jq -c 'select(.uri | test("^/products"))' "$DATA/clickevents.ndjson" | wc -l)
  none=$(jq -c 'select(.number < 150 and (.uri | test("^/products") | not))' "$DATA/clickevents.ndjson" | wc -l)
  [ "$output" = "big=$big prod=$prod " ]
  grep -q "big=$big prod=$prod unrouted=$none" "$BATS_TEST_TMPDIR/err"
}

@test "kbranch usage errors exit 2" {
  run kbranch
  [ "$status" -eq 2 ]
  run kbranch -r 'noequals'
  [ "$status" -eq 2 ]
  run kbranch -r 'a=number >'
  [ "$status" -eq 2 ]
  [[ "$output" == *"--route a: invalid expression at column 9"* ]]
}
