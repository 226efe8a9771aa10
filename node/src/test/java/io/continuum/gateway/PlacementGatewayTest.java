package io.continuum.gateway;

import static io.continuum.gateway.GatewayNode.OTHER_ZONE;
import static io.continuum.gateway.GatewayNode.ZONE;
import static io.continuum.gateway.GatewayNode.assertRejected;
import static io.continuum.gateway.GatewayNode.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.continuum.gateway.v1.CreateTopicRequest;
import io.continuum.gateway.v1.InvokeRequest;
import io.continuum.gateway.v1.InvokeResponse;
import io.continuum.gateway.v1.PlacementInfo;
import io.continuum.gateway.v1.PlacementServiceClient;
import io.continuum.gateway.v1.PublishRequest;
import io.continuum.gateway.v1.ReadRequest;
import io.continuum.gateway.v1.SetPlacementRequest;
import io.continuum.gateway.v1.ShowPlacementRequest;
import io.continuum.gateway.v1.TopicServiceClient;
import io.grpc.Status.Code;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code continuum.v1.PlacementService} and the placement routes of management HTTP, on a real node
 * of zone edge-a (zone cloud has no node, so what moves there serves from edge-a's node as its
 * fallback).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PlacementGatewayTest {

  @RegisterExtension static final GatewayNode node = new GatewayNode();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static PlacementServiceClient placement;
  private static TopicServiceClient topics;

  @BeforeAll
  static void connect() {
    placement = PlacementServiceClient.create(node.clientSettings(), node.clientSystem());
    topics = TopicServiceClient.create(node.clientSettings(), node.clientSystem());
  }

  @AfterAll
  static void close() throws Exception {
    placement.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    topics.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static long publish(String topic, String entry) {
    return await(
            topics.publish(
                PublishRequest.newBuilder()
                    .setTopic(topic)
                    .setPayload(ByteString.copyFromUtf8(entry))
                    .build()))
        .getIndex();
  }

  @Test
  void showExplainsWhereEveryDeclaredThingLivesAndWhy() {
    PlacementInfo notebook = show("function", "notebook");

    assertThat(notebook.getZone()).isEqualTo(ZONE);
    assertThat(notebook.getSourcesMap()).containsEntry("zone", "dsl: zone");
    assertThat(notebook.getAllowedZonesList()).containsExactly(ZONE);
    assertThat(notebook.getRouting()).isEqualTo("round_robin");
    assertThat(show("function", "librarian").getSourcesMap())
        .containsEntry("zone", "dsl: zone of object shelf");
    assertThat(await(placement.show(ShowPlacementRequest.getDefaultInstance())).getPlacementsList())
        .extracting(p -> p.getKind() + " " + p.getName())
        .contains("function notebook", "function librarian", "object shelf");
  }

  @Test
  void anInstanceMovesWithItsHistoryAndComesBackWhenTheOverrideIsReset() {
    assertThat(append("mover", "a")).contains("\"a\"");

    PlacementInfo moved = set("instance", "notebook/mover", OTHER_ZONE);
    InvokeResponse afterMove = invoke("mover", "b");

    assertThat(moved.getZone()).isEqualTo(OTHER_ZONE);
    assertThat(moved.getSourcesMap()).containsEntry("zone", "runtime: instance override");
    PlacementInfo shown = show("instance", "notebook/mover");
    assertThat(shown.getZone()).isEqualTo(OTHER_ZONE);
    assertThat(shown.getNodeZone())
        .as("cloud has no node: served from the fallback")
        .isEqualTo(ZONE);
    assertThat(afterMove.getPayload().toStringUtf8()).isEqualTo("{\"lines\":[\"a\",\"b\"]}");
    assertThat(afterMove.getServedByZone()).isEqualTo(ZONE);
    assertThat(afterMove.getServedByNode()).isEqualTo(node.address());

    PlacementInfo back =
        await(
            placement.set(
                SetPlacementRequest.newBuilder()
                    .setKind("instance")
                    .setName("notebook/mover")
                    .setReset(true)
                    .build()));
    assertThat(back.getZone()).isEqualTo(ZONE);
    assertThat(append("mover", "c")).isEqualTo("{\"lines\":[\"a\",\"b\",\"c\"]}");
  }

  @Test
  void aTopicMovesWithItsHistoryAndComesBackWhenTheOverrideIsReset() throws Exception {
    await(topics.create(CreateTopicRequest.newBuilder().setName("moving").build()));
    for (String entry : List.of("a", "b", "c")) {
      publish("moving", entry);
    }

    PlacementInfo moved = set("topic", "moving", OTHER_ZONE);
    long afterMove = publish("moving", "d");

    assertThat(moved.getZone()).isEqualTo(OTHER_ZONE);
    assertThat(moved.getSourcesMap()).containsEntry("zone", "runtime: topic override");
    assertThat(moved.getNodeZone())
        .as("cloud has no node: served from the fallback")
        .isEqualTo(ZONE);
    assertThat(afterMove).isEqualTo(4);
    assertThat(management("/continuum/placement/topic/moving").at("/placement/zone").asText())
        .isEqualTo(OTHER_ZONE);

    PlacementInfo back = await(placement.set(request("topic", "moving").setReset(true).build()));
    assertThat(back.getZone()).isEqualTo(ZONE);
    assertThat(publish("moving", "e")).isEqualTo(5);
    assertThat(
            await(topics.read(ReadRequest.newBuilder().setTopic("moving").setFromIndex(1).build()))
                .getEntriesList())
        .extracting(entry -> entry.getIndex() + entry.getPayload().toStringUtf8())
        .containsExactly("1a", "2b", "3c", "4d", "5e");
  }

  @Test
  void invalidPoliciesAreInvalidArgumentsSayingWhatIsValid() {
    assertRejected(
        placement.set(request("function", "notebook").setZone("moon").build()),
        Code.INVALID_ARGUMENT,
        "unknown zone 'moon'",
        ZONE,
        OTHER_ZONE);
    assertRejected(
        placement.set(
            request("function", "notebook").setZone(ZONE).addAllowedZones(OTHER_ZONE).build()),
        Code.INVALID_ARGUMENT,
        "exclude the home zone");
    assertRejected(
        placement.set(request("function", "notebook").addAllowedZones(ZONE).setReplicas(2).build()),
        Code.INVALID_ARGUMENT,
        "replicas must be between 1 and 1");
    assertRejected(
        placement.set(request("function", "nobody").setZone(ZONE).build()),
        Code.INVALID_ARGUMENT,
        "no function type 'nobody'",
        "notebook");
    assertRejected(
        placement.set(request("function", "notebook").setRouting("fastest").build()),
        Code.INVALID_ARGUMENT,
        "round_robin, least_conn, random, nearest");
    assertRejected(
        placement.set(request("instance", "notebook").setZone(ZONE).build()),
        Code.INVALID_ARGUMENT,
        "TYPE/ID");
    assertRejected(
        placement.set(request("planet", "x").build()),
        Code.INVALID_ARGUMENT,
        "topic, function, instance, object");
    assertRejected(
        placement.set(request("topic", "nowhere").setZone(ZONE).build()),
        Code.INVALID_ARGUMENT,
        "topic 'nowhere' does not exist");
    assertRejected(
        placement.set(request("topic", "nowhere").setZone(ZONE).setRouting("random").build()),
        Code.INVALID_ARGUMENT,
        "a topic takes only --zone");
    assertRejected(
        placement.set(request("object", "shelf").setZone(ZONE).build()),
        Code.FAILED_PRECONDITION,
        "objects do not move at runtime");
    assertThat(show("function", "notebook").getZone()).as("nothing changed").isEqualTo(ZONE);
  }

  @Test
  void anObjectsRoutingChangesAtRuntimeThoughItsZonesDoNot() throws Exception {
    PlacementInfo routed =
        await(
            placement.set(request("object", NotebookApp.OBJECT).setRouting("least_conn").build()));

    assertThat(routed.getRouting()).isEqualTo("least_conn");
    assertThat(routed.getSourcesMap()).containsEntry("routing", "runtime: object override");
    assertThat(routed.getZone()).isEqualTo(ZONE);
    assertThat(management("/continuum/routing").at("/objects/least_conn").isNumber()).isTrue();
  }

  @Test
  void managementHttpShowsPlacementAndEntityCounts() throws Exception {
    append("counted", "x");

    JsonNode function = management("/continuum/placement/function/notebook");
    JsonNode entities = management("/continuum/entities");

    assertThat(function.at("/placement/zone").asText()).isEqualTo(ZONE);
    assertThat(function.at("/placement/sources/zone").asText()).isEqualTo("dsl: zone");
    assertThat(entities.at("/instances/byZone/" + ZONE).asInt()).isPositive();
    assertThat(entities.at("/instances/inFallbackZone").isInt()).isTrue();
  }

  private static PlacementInfo show(String kind, String name) {
    return await(
            placement.show(ShowPlacementRequest.newBuilder().setKind(kind).setName(name).build()))
        .getPlacements(0);
  }

  private static SetPlacementRequest.Builder request(String kind, String name) {
    return SetPlacementRequest.newBuilder().setKind(kind).setName(name);
  }

  private static PlacementInfo set(String kind, String name, String zone) {
    return await(placement.set(request(kind, name).setZone(zone).build()));
  }

  private static InvokeResponse invoke(String id, String line) {
    return await(
        node.functions()
            .invoke(
                InvokeRequest.newBuilder()
                    .setType(NotebookApp.TYPE)
                    .setId(id)
                    .setPayload(ByteString.copyFromUtf8("{\"text\":\"" + line + "\"}"))
                    .build()));
  }

  private static String append(String id, String line) {
    return invoke(id, line).getPayload().toStringUtf8();
  }

  private static JsonNode management(String path) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.managementPort() + path))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
