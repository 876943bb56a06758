package cn.gov.nmg.sme.examples.samr;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.kafka.CloudEventSerializer;
import java.net.URI;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Market supervision sample: publishes one cn.samr.listing.added.v1 (an enterprise put on the
 * abnormal-operation or serious-dishonesty list) in CloudEvents BINARY content mode, the Java
 * SDK's default: attributes in ce_* headers, the data as the value.
 *
 * <p>Usage: ListingPublisher USCC [abnormal_operation|serious_dishonesty] [STARTS_ON] [REASON].
 * Broker settings from the environment (see README.md): KAFKA_BOOTSTRAP_SERVERS,
 * TOPIC_PREFIX, KAFKA_USERNAME / KAFKA_PASSWORD (SASL/SCRAM-SHA-512).
 */
public final class ListingPublisher {
  private static final String TOPIC = "ext.market-supervision.listing.v1";
  private static final String TYPE = "cn.samr.listing.added.v1";

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: ListingPublisher USCC [LIST] [STARTS_ON] [REASON]");
      System.exit(2);
    }
    String uscc = args[0];
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("uscc", uscc);
    data.put("list", args.length > 1 ? args[1] : "abnormal_operation");
    data.put("starts_on", args.length > 2 ? args[2] : LocalDate.now(ZoneOffset.ofHours(8)).toString());
    data.put("reason", args.length > 3 ? args[3] : "通过登记的住所或者经营场所无法联系");

    CloudEvent event =
        CloudEventBuilder.v1()
            .withId(UUID.randomUUID().toString())
            .withSource(URI.create("/cn/samr/listing-system"))
            .withType(TYPE)
            .withSubject(uscc)
            .withTime(OffsetDateTime.now(ZoneOffset.UTC))
            .withDataContentType("application/json")
            .withData(new ObjectMapper().writeValueAsBytes(data))
            .build();

    try (KafkaProducer<String, CloudEvent> producer = new KafkaProducer<>(config())) {
      // Key = the USCC, so that every event about one enterprise keeps its order.
      RecordMetadata sent =
          producer.send(new ProducerRecord<>(env("TOPIC_PREFIX", "") + TOPIC, uscc, event)).get();
      System.out.printf(
          "PUBLISHED type=%s id=%s uscc=%s topic=%s partition=%d offset=%d mode=binary%n",
          TYPE, event.getId(), uscc, sent.topic(), sent.partition(), sent.offset());
    }
  }

  private static Properties config() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"));
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, CloudEventSerializer.class.getName());
    // Binary is the serializer's default; said here so that the sample shows the choice.
    props.put(CloudEventSerializer.ENCODING_CONFIG, Encoding.BINARY);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    String user = env("KAFKA_USERNAME", "");
    if (!user.isEmpty()) {
      props.put("security.protocol", env("KAFKA_SECURITY_PROTOCOL", "SASL_SSL"));
      props.put("sasl.mechanism", "SCRAM-SHA-512");
      props.put(
          "sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
              + user
              + "\" password=\""
              + env("KAFKA_PASSWORD", "")
              + "\";");
      String truststore = env("KAFKA_TRUSTSTORE", "");
      if (!truststore.isEmpty()) {
        props.put("ssl.truststore.location", truststore);
        props.put("ssl.truststore.type", "PEM");
      }
    }
    return props;
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isEmpty() ? fallback : value;
  }
}
