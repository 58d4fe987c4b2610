# Sourced by the tests and benchmarks that give pre-commit a hook repository to install from:
# pre-commit installs hooks from a commit, so a folder's working tree (with uncommitted changes)
# is copied into a fresh repository and committed there.

# git with a throwaway identity and no signing, whatever the machine's configuration.
git_() { git -c user.name=idemsql-test -c user.email=test@example.invalid -c init.defaultBranch=main -c commit.gpgsign=false "$@"; }

# git_snapshot FROM DEST: FROM's files as git sees them (tracked and new, not ignored),
# committed in a new repository at DEST; prints the commit.
git_snapshot() {
  local from="$1" dest="$2" f
  mkdir -p "$dest"
  (cd "$from" && git ls-files -co --exclude-standard -z .) |
    while IFS= read -r -d '' f; do
      [ -f "$from/$f" ] || continue
      mkdir -p "$dest/$(dirname "$f")"
      cp -p "$from/$f" "$dest/$f"
    done
  git_ -C "$dest" init -q
  git_ -C "$dest" add -A
  git_ -C "$dest" commit -q -m "working tree of $from"
  git -C "$dest" rev-parse HEAD
}
