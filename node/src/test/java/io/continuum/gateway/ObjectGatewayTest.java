package io.continuum.gateway;

import static io.continuum.gateway.GatewayNode.OTHER_ZONE;
import static io.continuum.gateway.GatewayNode.ZONE;
import static io.continuum.gateway.GatewayNode.assertRejected;
import static io.continuum.gateway.GatewayNode.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.continuum.gateway.v1.DeleteObjectRequest;
import io.continuum.gateway.v1.FunctionServiceClient;
import io.continuum.gateway.v1.GetObjectRequest;
import io.continuum.gateway.v1.GetObjectResponse;
import io.continuum.gateway.v1.InvokeRequest;
import io.continuum.gateway.v1.InvokeResponse;
import io.continuum.gateway.v1.ObjectField;
import io.continuum.gateway.v1.ObjectServiceClient;
import io.continuum.gateway.v1.UpdateObjectRequest;
import io.continuum.gateway.v1.UpdateObjectResponse;
import io.grpc.Status.Code;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code continuum.v1.ObjectService} as a client sees it: a real node of zone edge-a (the topology
 * also has zone cloud, without nodes), a real gRPC client. Every test uses objects of its own.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ObjectGatewayTest {

  @RegisterExtension static final GatewayNode node = new GatewayNode();

  private static final AtomicInteger ids = new AtomicInteger();
  private static ObjectServiceClient objects;

  @BeforeAll
  static void connect() {
    objects = ObjectServiceClient.create(node.clientSettings(), node.clientSystem());
  }

  @AfterAll
  static void close() throws Exception {
    objects.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void updateCreatesObjectAndFieldOnFirstUseInTheZonesWithNodes() {
    String object = newObject();

    UpdateObjectResponse updated =
        await(
            objects.update(
                update(object, "visits", "increment", "5").setType("pncounter").build()));

    assertThat(updated.getField().getJson()).isEqualTo("5");
    assertThat(updated.getField().getType()).isEqualTo("pncounter");
    assertThat(updated.getZonesList()).containsExactly(ZONE);
    assertThat(updated.getServedByZone()).isEqualTo(ZONE);
    assertThat(updated.getVersion()).isNotBlank();
  }

  @Test
  void laterUpdatesNeedNoTypeAndGetReadsEveryFieldAsJson() {
    String object = newObject();
    await(objects.update(update(object, "visits", "increment", "2").setType("pncounter").build()));
    await(objects.update(update(object, "visits", "decrement").build()));
    await(objects.update(update(object, "sensors", "add", "s1").setType("orset").build()));
    await(objects.update(update(object, "sensors", "add", "s0").build()));
    await(
        objects.update(
            update(object, "prefs", "put", "color", "red").setType("ormap<lwwregister>").build()));

    GetObjectResponse all = await(objects.get(get(object).build()));

    assertThat(json(all))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("visits", "1", "sensors", "[\"s0\",\"s1\"]", "prefs", "{\"color\":\"red\"}"));
    assertThat(all.getZonesList()).containsExactly(ZONE);
    GetObjectResponse one = await(objects.get(get(object).setField("sensors").build()));
    assertThat(one.getFieldsList()).extracting(ObjectField::getName).containsExactly("sensors");
    assertThat(one.getFields(0).getType()).isEqualTo("orset");
  }

  @Test
  void getWithTheVersionOfAnUpdateSeesIt() {
    String object = newObject();
    UpdateObjectResponse updated =
        await(objects.update(update(object, "on", "enable").setType("ewflag").build()));

    GetObjectResponse read =
        await(
            objects.get(
                get(object)
                    .setAfterVersion(updated.getVersion())
                    .setConsistency("majority")
                    .build()));

    assertThat(json(read)).containsEntry("on", "true");
  }

  @Test
  void majorityAndAllWithinTheObjectsZonesSucceedWhenItsNodesAnswer() {
    String object = newObject();
    await(
        objects.update(
            update(object, "n", "increment")
                .setType("gcounter")
                .setConsistency("majority")
                .build()));
    await(objects.update(update(object, "n", "increment").setConsistency("ALL").build()));

    assertThat(json(await(objects.get(get(object).setConsistency("all").build()))))
        .containsEntry("n", "2");
  }

  @Test
  void deleteRemovesTheObject() {
    String object = newObject();
    await(objects.update(update(object, "name", "assign", "x").setType("lwwregister").build()));

    assertThat(
            await(objects.delete(DeleteObjectRequest.newBuilder().setObject(object).build()))
                .getVersion())
        .isNotBlank();

    assertRejected(objects.get(get(object).build()), Code.NOT_FOUND, object, "does not exist");
    assertRejected(
        objects.delete(DeleteObjectRequest.newBuilder().setObject(object).build()),
        Code.NOT_FOUND,
        object);
    UpdateObjectResponse again =
        await(objects.update(update(object, "name", "assign", "y").setType("mvregister").build()));
    assertThat(again.getField().getJson()).isEqualTo("[\"y\"]");
  }

  @Test
  void aWriteThatAZoneWithoutNodesCannotConfirmIsUnavailableButAppliedLocally() {
    String object = newObject();

    assertRejected(
        objects.update(
            update(object, "n", "increment", "3")
                .setType("pncounter")
                .addZones(ZONE)
                .addZones(OTHER_ZONE)
                .setConsistency("majority")
                .build()),
        Code.UNAVAILABLE,
        "applied locally",
        OTHER_ZONE);

    GetObjectResponse read = await(objects.get(get(object).build()));
    assertThat(json(read)).containsEntry("n", "3");
    assertThat(read.getZonesList()).containsExactlyInAnyOrder(ZONE, OTHER_ZONE);
    await(objects.update(update(object, "n", "increment").build()));
    assertThat(json(await(objects.get(get(object).build())))).containsEntry("n", "4");
  }

  @Test
  void badUpdatesAreInvalidArgumentsNamingWhatIsAccepted() {
    String object = newObject();
    await(objects.update(update(object, "visits", "increment").setType("pncounter").build()));

    assertRejected(
        objects.update(update(object, "visits", "add", "x").build()),
        Code.INVALID_ARGUMENT,
        "increment, decrement");
    assertRejected(
        objects.update(update(object, "visits", "increment").setType("orset").build()),
        Code.INVALID_ARGUMENT,
        "is a pncounter");
    assertRejected(
        objects.update(update(object, "other", "increment").build()),
        Code.INVALID_ARGUMENT,
        "pncounter",
        "orset",
        "ewflag");
    assertRejected(
        objects.update(update(object, "other", "increment").setType("counter").build()),
        Code.INVALID_ARGUMENT,
        "unknown field type",
        "pncounter");
    assertRejected(
        objects.update(update(object, "visits", "increment", "many").build()),
        Code.INVALID_ARGUMENT);
    assertRejected(
        objects.update(update(object, "visits", "increment").setConsistency("quorum").build()),
        Code.INVALID_ARGUMENT,
        "local, majority, all");
    assertRejected(
        objects.update(
            update(newObject(), "n", "increment").setType("gcounter").addZones("mars").build()),
        Code.INVALID_ARGUMENT,
        "mars",
        ZONE,
        OTHER_ZONE);
    assertRejected(
        objects.update(update(object, "visits", "increment").addZones(OTHER_ZONE).build()),
        Code.INVALID_ARGUMENT,
        "replicates to zones " + ZONE);
    assertRejected(
        objects.update(update("bad/name", "n", "increment").setType("gcounter").build()),
        Code.INVALID_ARGUMENT,
        "invalid object name");
    assertRejected(
        objects.update(update(object, "", "increment").build()),
        Code.INVALID_ARGUMENT,
        "invalid field name");
    assertThat(json(await(objects.get(get(object).build()))))
        .containsEntry("visits", "1")
        .hasSize(1);
  }

  @Test
  void badReadsAreInvalidArgumentsAndMissingThingsNotFound() {
    String object = newObject();
    await(objects.update(update(object, "visits", "increment").setType("pncounter").build()));

    assertRejected(
        objects.get(get(object).setConsistency("strong").build()),
        Code.INVALID_ARGUMENT,
        "local, majority, all");
    assertRejected(
        objects.get(get(object).setAfterVersion("nonsense").build()),
        Code.INVALID_ARGUMENT,
        "invalid version");
    assertRejected(
        objects.get(get(object).setField("nope").build()),
        Code.NOT_FOUND,
        "no field 'nope'",
        "visits");
    assertRejected(objects.get(get(newObject()).build()), Code.NOT_FOUND, "does not exist");
    assertRejected(
        objects.delete(
            DeleteObjectRequest.newBuilder().setObject(object).setConsistency("x").build()),
        Code.INVALID_ARGUMENT,
        "local, majority, all");
  }

  @Test
  void aDeclaredObjectIsUpdatedExactlyOnceByAFunctionAndReadBackByIt() {
    FunctionServiceClient functions = node.functions();
    for (String title : List.of("dune", "emma")) {
      InvokeRequest shelve =
          InvokeRequest.newBuilder()
              .setType("librarian")
              .setId("l1")
              .setRequestId("shelve-" + title)
              .setPayload(ByteString.copyFromUtf8("{\"title\":\"" + title + "\"}"))
              .build();
      await(functions.invoke(shelve));
      await(functions.invoke(shelve)); // a retry: the stored reply, no second effect
    }
    TestProbe<Void> probe = TestProbe.create(node.clientSystem());

    probe.awaitAssert(
        Duration.ofSeconds(10),
        () -> {
          assertThat(json(await(objects.get(get(NotebookApp.OBJECT).build()))))
              .containsExactlyInAnyOrderEntriesOf(
                  Map.of("titles", "[\"dune\",\"emma\"]", "pages", "2"));
          return null;
        });
    probe.awaitAssert(
        Duration.ofSeconds(10),
        () -> {
          InvokeResponse read =
              await(
                  functions.invoke(
                      InvokeRequest.newBuilder()
                          .setType("librarian")
                          .setId("l2")
                          .setPayload(ByteString.copyFromUtf8("{\"title\":\"zola\"}"))
                          .build()));
          assertThat(read.getPayload().toStringUtf8())
              .startsWith("{\"titles\":[\"dune\",\"emma\"")
              .contains("\"pages\":");
          return null;
        });
  }

  @Test
  void aDeclaredObjectAcceptsOnlyItsFieldsWithTheirTypes() {
    assertRejected(
        objects.update(update(NotebookApp.OBJECT, "authors", "add", "x").setType("orset").build()),
        Code.INVALID_ARGUMENT,
        "has no field 'authors'",
        "pages, titles");
    assertRejected(
        objects.update(
            update(NotebookApp.OBJECT, "pages", "increment").setType("gcounter").build()),
        Code.INVALID_ARGUMENT,
        "is a pncounter");
  }

  private static String newObject() {
    return "object-" + ids.incrementAndGet() + "-" + System.nanoTime();
  }

  private static UpdateObjectRequest.Builder update(
      String object, String field, String op, String... args) {
    return UpdateObjectRequest.newBuilder()
        .setObject(object)
        .setField(field)
        .setOp(op)
        .addAllArgs(List.of(args));
  }

  private static GetObjectRequest.Builder get(String object) {
    return GetObjectRequest.newBuilder().setObject(object);
  }

  private static Map<String, String> json(GetObjectResponse response) {
    return response.getFieldsList().stream()
        .collect(Collectors.toMap(ObjectField::getName, ObjectField::getJson));
  }
}
