package io.continuum.gateway;

import static io.continuum.gateway.GatewayNode.CALL_TIMEOUT;
import static io.continuum.gateway.GatewayNode.OTHER_ZONE;
import static io.continuum.gateway.GatewayNode.ZONE;
import static io.continuum.gateway.GatewayNode.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import grpc.reflection.v1alpha.reflection.ServerReflectionClient;
import grpc.reflection.v1alpha.reflection.ServerReflectionRequest;
import grpc.reflection.v1alpha.reflection.ServerReflectionResponse;
import grpc.reflection.v1alpha.reflection.ServiceResponse;
import io.continuum.gateway.v1.ClusterStatus;
import io.continuum.gateway.v1.NodeStatus;
import io.continuum.gateway.v1.StatusRequest;
import io.continuum.gateway.v1.ZoneStatus;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@code continuum.v1.ClusterService}, gRPC server reflection and the gRPC health service, as a
 * client sees them on a real one-node cluster.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterGatewayTest {

  @RegisterExtension static final GatewayNode node = new GatewayNode();

  @Nested
  class Status {

    @Test
    void showsTheNodeUpInItsZoneWithTheEndpointsItAnnounced() {
      ClusterStatus status = status();

      ZoneStatus zone = zone(status, ZONE);
      assertThat(zone.getTier()).isEqualTo("edge");
      assertThat(zone.getFallbackList()).containsExactly(OTHER_ZONE);
      assertThat(zone.getNodesList())
          .containsExactly(
              NodeStatus.newBuilder()
                  .setAddress(node.address())
                  .setStatus("up")
                  .setReachable(true)
                  .setGateway("127.0.0.1:" + node.gatewayPort())
                  .setManagement("127.0.0.1:" + node.managementPort())
                  .build());
    }

    @Test
    void listsEveryDeclaredZoneEvenWithoutNodes() {
      ClusterStatus status = status();

      assertThat(status.getZonesList())
          .extracting(ZoneStatus::getName)
          .containsExactlyInAnyOrder(ZONE, OTHER_ZONE);
      assertThat(zone(status, OTHER_ZONE).getTier()).isEqualTo("cloud");
      assertThat(zone(status, OTHER_ZONE).getNodesList()).isEmpty();
    }

    @Test
    void namesTheAnsweringNodeAndTheLeader() {
      ClusterStatus status = status();

      assertThat(status.getSelf()).isEqualTo(node.address());
      assertThat(status.getLeader()).isEqualTo(node.address());
    }

    private ClusterStatus status() {
      return await(node.cluster().status(StatusRequest.getDefaultInstance()));
    }

    private ZoneStatus zone(ClusterStatus status, String name) {
      return status.getZonesList().stream()
          .filter(zone -> zone.getName().equals(name))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no zone " + name + " in " + status));
    }
  }

  @Nested
  class Health {

    @Test
    void reportsTheGatewayAndEachServiceServing() throws InterruptedException {
      ManagedChannel channel = node.channel();
      try {
        HealthGrpc.HealthBlockingStub health =
            HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        for (String service :
            List.of(
                "",
                "continuum.v1.TopicService",
                "continuum.v1.FunctionService",
                "continuum.v1.ClusterService",
                "continuum.v1.ObjectService",
                "continuum.v1.PlacementService")) {
          assertThat(health.check(HealthCheckRequest.newBuilder().setService(service).build()))
              .as("health of '%s'", service)
              .extracting(HealthCheckResponse::getStatus)
              .isEqualTo(ServingStatus.SERVING);
        }
      } finally {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
    }
  }

  @Nested
  class Reflection {

    @Test
    void listsTheContinuumServicesThroughReflectionV1AsGrpcurlAsks() throws Exception {
      ManagedChannel channel = node.channel();
      try {
        CompletableFuture<io.grpc.reflection.v1.ServerReflectionResponse> answer =
            new CompletableFuture<>();
        StreamObserver<io.grpc.reflection.v1.ServerReflectionRequest> requests =
            io.grpc.reflection.v1.ServerReflectionGrpc.newStub(channel)
                .serverReflectionInfo(
                    new StreamObserver<>() {
                      @Override
                      public void onNext(io.grpc.reflection.v1.ServerReflectionResponse response) {
                        answer.complete(response);
                      }

                      @Override
                      public void onError(Throwable failure) {
                        answer.completeExceptionally(failure);
                      }

                      @Override
                      public void onCompleted() {}
                    });
        requests.onNext(
            io.grpc.reflection.v1.ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onCompleted();

        assertThat(
                answer
                    .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .getListServicesResponse()
                    .getServiceList())
            .extracting(io.grpc.reflection.v1.ServiceResponse::getName)
            .contains(
                "continuum.v1.TopicService",
                "continuum.v1.FunctionService",
                "continuum.v1.ClusterService",
                "continuum.v1.ObjectService",
                "continuum.v1.PlacementService",
                "grpc.health.v1.Health");
      } finally {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
    }

    @Test
    void listsTheContinuumServices() {
      ServerReflectionResponse response =
          reflect(ServerReflectionRequest.defaultInstance().withListServices(""));

      List<String> services =
          CollectionConverters.asJava(response.getListServicesResponse().service()).stream()
              .map(ServiceResponse::name)
              .toList();
      assertThat(services).contains("continuum.v1.TopicService", "continuum.v1.ClusterService");
    }

    @Test
    void describesTheMethodsOfTheTopicService() throws InvalidProtocolBufferException {
      ServerReflectionResponse response =
          reflect(
              ServerReflectionRequest.defaultInstance()
                  .withFileContainingSymbol("continuum.v1.TopicService"));

      ServiceDescriptorProto service = service(response, "TopicService");
      assertThat(service.getMethodList())
          .extracting(MethodDescriptorProto::getName)
          .containsExactlyInAnyOrder(
              "Create", "Publish", "Get", "Latest", "Read", "Subscribe", "Describe");
      assertThat(service.getMethodList())
          .filteredOn(MethodDescriptorProto::getServerStreaming)
          .extracting(MethodDescriptorProto::getName)
          .containsExactly("Subscribe");
    }

    @Test
    void describesTheClusterService() throws InvalidProtocolBufferException {
      ServerReflectionResponse response =
          reflect(
              ServerReflectionRequest.defaultInstance()
                  .withFileContainingSymbol("continuum.v1.ClusterService"));

      assertThat(service(response, "ClusterService").getMethodList())
          .extracting(MethodDescriptorProto::getName)
          .containsExactly("Status");
    }

    private ServerReflectionResponse reflect(ServerReflectionRequest request) {
      ServerReflectionClient client =
          ServerReflectionClient.apply(node.clientSettings(), node.clientSystem());
      try {
        return await(
            client
                .serverReflectionInfo(Source.single(request).asScala())
                .asJava()
                .runWith(Sink.head(), node.clientSystem()));
      } finally {
        client.close();
      }
    }

    private ServiceDescriptorProto service(ServerReflectionResponse response, String name)
        throws InvalidProtocolBufferException {
      List<ServiceDescriptorProto> services = new ArrayList<>();
      for (ByteString file :
          CollectionConverters.asJava(response.getFileDescriptorResponse().fileDescriptorProto())) {
        FileDescriptorProto descriptor = FileDescriptorProto.parseFrom(file);
        assertThat(descriptor.getPackage()).isEqualTo("continuum.v1");
        services.addAll(descriptor.getServiceList());
      }
      return services.stream()
          .filter(service -> service.getName().equals(name))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no service " + name + " in " + services));
    }
  }
}
