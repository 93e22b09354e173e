#!/usr/bin/env bash
# Runs a djl-gather-spark job (tag, keypoints, bench-tag) in local mode from the source tree:
# compiles the reactor's modules (nothing installed), then starts java with the flags Spark needs
# on Java 17 (spark-java17.flags) and DJL offline. Arguments go to io.djlgather.spark.Main.
#   djl-gather-spark/run.sh tag --input sentences.txt --model model-zoo-samples/build/zoo/ner-bilstm-crf --output tagged
# MVN_OPTS_EXTRA="-o" runs Maven offline once the dependencies are in ~/.m2.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
classpath="$here/target/classpath.txt"
# -am writes the file once per module in build order; the Spark module, built last, writes it last
(cd "$root" && mvn -B -q ${MVN_OPTS_EXTRA:-} -pl djl-gather-spark -am compile dependency:build-classpath \
    -Dmdep.outputFile="$classpath" -Dmdep.includeScope=test >&2)
mapfile -t flags < <(grep -v '^#' "$here/spark-java17.flags" | sed '/^\s*$/d')
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
exec java "${flags[@]}" \
    -Dai.djl.offline=true \
    -Djava.awt.headless=true \
    -Dai.djl.pytorch.num_threads="${DJL_THREADS:-1}" \
    -Dai.djl.pytorch.num_interop_threads=1 \
    -Dlog4j2.configurationFile="$here/conf/log4j2.properties" \
    -cp "$here/target/classes:$(cat "$classpath")" \
    io.djlgather.spark.Main "$@"
