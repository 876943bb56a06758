package cn.gov.nmg.sme.examples.tax;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Tax agency sample: reads every registration issued or revoked from sme.registration.v1 and
 * checks each with GET /registrations/verify.
 *
 * <p>The official CloudEvents deserializer reads both content modes; the system publishes in
 * structured mode (content-type application/cloudevents+json). Configuration comes from the
 * environment (see README.md): KAFKA_BOOTSTRAP_SERVERS, TOPIC_PREFIX, KAFKA_GROUP_ID,
 * KAFKA_USERNAME / KAFKA_PASSWORD (SASL/SCRAM-SHA-512), API_BASE_URL, API_TOKEN, and for a
 * bounded run STOP_AFTER_USCC (exit once that enterprise's registration was checked) and
 * MAX_SECONDS.
 */
public final class TaxSubscriber {
  private static final String TOPIC = "sme.registration.v1";
  private static final String ISSUED = "cn.sme.registration.issued.v1";
  private static final String REVOKED = "cn.sme.registration.revoked.v1";

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String apiBase = env("API_BASE_URL", "http://127.0.0.1:8000/api/v1");
  private final String apiToken = env("API_TOKEN", "");

  public static void main(String[] args) throws Exception {
    System.exit(new TaxSubscriber().run());
  }

  int run() throws Exception {
    String stopAfter = env("STOP_AFTER_USCC", "");
    Instant deadline = Instant.now().plusSeconds(Long.parseLong(env("MAX_SECONDS", "0")));
    boolean bounded = !env("MAX_SECONDS", "0").equals("0");
    try (KafkaConsumer<String, CloudEvent> consumer = new KafkaConsumer<>(config())) {
      consumer.subscribe(List.of(env("TOPIC_PREFIX", "") + TOPIC));
      while (!bounded || Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, CloudEvent> record : consumer.poll(Duration.ofMillis(500))) {
          String uscc = handle(record);
          if (uscc != null && uscc.equals(stopAfter)) {
            consumer.commitSync();
            return 0;
          }
        }
        consumer.commitSync();
      }
    }
    System.err.println("stopped after MAX_SECONDS without seeing " + stopAfter);
    return stopAfter.isEmpty() ? 0 : 1;
  }

  /** Prints one registration and its verification; returns its USCC (null if skipped). */
  private String handle(ConsumerRecord<String, CloudEvent> record) throws Exception {
    CloudEvent event = record.value();
    if (!ISSUED.equals(event.getType()) && !REVOKED.equals(event.getType())) {
      return null; // another type on the topic (e.g. a later addition): not ours to handle
    }
    JsonNode data = json.readTree(event.getData().toBytes());
    String uscc = data.path("uscc").asText();
    int year = data.path("year").asInt();
    JsonNode verified = verify(uscc, year);
    String what = ISSUED.equals(event.getType()) ? "ISSUED" : "REVOKED";
    System.out.printf(
        "%s number=%s uscc=%s year=%d key=%s event=%s verify.status=%s verify.registered=%s%n",
        what,
        data.path("number").asText(),
        uscc,
        year,
        record.key(),
        event.getId(),
        verified.path("status").asText("?"),
        verified.path("registered").asText("?"));
    System.out.flush();
    return uscc;
  }

  private JsonNode verify(String uscc, int year) throws Exception {
    String query = "uscc=" + URLEncoder.encode(uscc, StandardCharsets.UTF_8) + "&year=" + year;
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(apiBase + "/registrations/verify?" + query))
            .header("Authorization", "Bearer " + apiToken)
            .timeout(Duration.ofSeconds(15))
            .GET()
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("verify answered " + response.statusCode() + ": " + response.body());
    }
    return json.readTree(response.body());
  }

  private static Properties config() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"));
    // The ACL of the agency-tax user allows consumer groups starting with "agency-tax.".
    props.put(ConsumerConfig.GROUP_ID_CONFIG, env("KAFKA_GROUP_ID", "agency-tax.registrations"));
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, CloudEventDeserializer.class.getName());
    String user = env("KAFKA_USERNAME", "");
    if (!user.isEmpty()) {
      // Production: SASL_SSL with SCRAM-SHA-512 (the cluster's CA must be trusted by the JVM,
      // or named with ssl.truststore.location / KAFKA_TRUSTSTORE).
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
