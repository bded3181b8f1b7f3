#!/bin/sh
# build-node.sh CACHE: the OpenSearch test node, ready to run from CACHE:
# CACHE/classpath (the jars, fetched by Maven from tests/opensearch/pom.xml
# into CACHE/m2) and CACHE/classes (SingleNode.java, compiled).  Does
# nothing that is done already; one run at a time per CACHE (flock).
# Used by tests/opensearch/lib.sh and bench/opensearch.sh.
#   java -cp "CACHE/classes:$(cat CACHE/classpath)" audispecs.engine.SingleNode HOME PORT-FILE
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cache=$1
mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9
if [ ! -s "$cache/classpath" ] || [ "$here/pom.xml" -nt "$cache/classpath" ]; then
	echo "fetching OpenSearch with Maven into $cache (first run only)"
	mvn -B -q -f "$here/pom.xml" -Dmaven.repo.local="$cache/m2" \
		dependency:build-classpath -Dmdep.outputFile="$cache/classpath.tmp"
	mv "$cache/classpath.tmp" "$cache/classpath"
fi
src=$here/src/main/java/audispecs/engine/SingleNode.java
class=$cache/classes/audispecs/engine/SingleNode.class
if [ ! -s "$class" ] || [ "$src" -nt "$class" ] || [ "$cache/classpath" -nt "$class" ]; then
	rm -rf "$cache/classes"
	javac -d "$cache/classes" -cp "$(cat "$cache/classpath")" "$src"
fi
