#!/bin/sh
# One-shot `kafka-init` of compose.yaml: creates every topic listed in topics.txt (generated
# by deploy/tools/gen_manifests.py) that does not exist yet, then exits 0. Safe to re-run.
set -eu

BOOTSTRAP="${BOOTSTRAP:-kafka:9092}"
PARTITIONS="${PARTITIONS:-12}"
TOPICS_FILE="${TOPICS_FILE:-/opt/sme/topics.txt}"
KAFKA_TOPICS=/opt/kafka/bin/kafka-topics.sh

# Topic names contain no blanks: one word each.
topics="$(grep -v -e '^#' -e '^[[:space:]]*$' "$TOPICS_FILE")"
existing="$("$KAFKA_TOPICS" --bootstrap-server "$BOOTSTRAP" --list)"
missing=""
for topic in $topics; do
    if printf '%s\n' "$existing" | grep -qxF "$topic"; then
        echo "kafka-init: $topic exists"
    else
        missing="$missing $topic"
    fi
done

# Each kafka-topics.sh call starts a JVM: create four topics at a time.
running=0
for topic in $missing; do
    "$KAFKA_TOPICS" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
        --topic "$topic" --partitions "$PARTITIONS" --replication-factor 1 &
    running=$((running + 1))
    if [ "$running" -ge 4 ]; then
        wait
        running=0
    fi
done
wait

# Fail (and keep the services from starting) unless every topic is there now.
existing="$("$KAFKA_TOPICS" --bootstrap-server "$BOOTSTRAP" --list)"
for topic in $topics; do
    printf '%s\n' "$existing" | grep -qxF "$topic" || {
        echo "kafka-init: $topic is missing" >&2
        exit 1
    }
done
echo "kafka-init: all topics present"
