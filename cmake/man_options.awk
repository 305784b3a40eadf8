# man_options.awk: option entries of scdoc man sources. An entry starts with a line beginning
# "*-" ("*-i, --input* _TOPIC_", "*--key-format* _CODEC_, *--value-format* _CODEC_"), followed
# by tab-indented lines and a blank line.
#   awk -v mode=list -f man_options.awk FILE...        "FILE:LINE<TAB>OPTION" per option named
#   awk -v mode=filter -v accepted=" -a --b " -f ...    FILE without the entries none of whose
#                                                       options are in `accepted`
function options(line,    out, rest, tok) {
  out = ""
  rest = line
  while (match(rest, /(^|[ *,|(\[])--?[A-Za-z][A-Za-z0-9-]*/)) {
    tok = substr(rest, RSTART, RLENGTH)
    sub(/^[^-]/, "", tok)
    out = out " " tok
    rest = substr(rest, RSTART + RLENGTH)
  }
  return out
}
mode == "list" && /^\*-/ {
  n = split(options($0), opts, " ")
  for (i = 1; i <= n; i++) print FILENAME ":" FNR "\t" opts[i]
  next
}
mode == "list" { next }
/^\*-/ {
  n = split(options($0), opts, " ")
  keep = 0
  for (i = 1; i <= n; i++) if (index(accepted, " " opts[i] " ")) keep = 1
  skipping = !keep
  if (keep) print
  next
}
skipping && (/^\t/ || /^$/) { if (/^$/) skipping = 0; next }
{ skipping = 0; print }
