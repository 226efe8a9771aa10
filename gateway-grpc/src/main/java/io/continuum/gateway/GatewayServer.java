package io.continuum.gateway;

import io.continuum.function.Functions;
import io.continuum.gateway.v1.ClusterService;
import io.continuum.gateway.v1.ClusterServiceHandlerFactory;
import io.continuum.gateway.v1.FunctionService;
import io.continuum.gateway.v1.FunctionServicePowerApiHandlerFactory;
import io.continuum.gateway.v1.ObjectService;
import io.continuum.gateway.v1.ObjectServiceHandlerFactory;
import io.continuum.gateway.v1.PlacementService;
import io.continuum.gateway.v1.PlacementServiceHandlerFactory;
import io.continuum.gateway.v1.TopicService;
import io.continuum.gateway.v1.TopicServiceHandlerFactory;
import io.continuum.object.ReplicatedObjects;
import io.continuum.topic.Topics;
import io.continuum.zone.ZoneTopology;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.grpc.javadsl.ServerReflection;
import org.apache.pekko.grpc.javadsl.ServiceHandler;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.japi.function.Function;

/** Serves the {@code continuum.v1} services, with server reflection, on one port of a node. */
public final class GatewayServer {

  private GatewayServer() {}

  /**
   * Binds the gateway; it unbinds during coordinated shutdown, letting calls in flight finish.
   * Request bodies are bounded by {@code pekko.http.server.parsing.max-content-length}, which
   * pekko-http does not apply to HTTP/2 requests by itself.
   */
  public static CompletionStage<ServerBinding> start(
      ActorSystem<?> system,
      Topics topics,
      Functions functions,
      ReplicatedObjects objects,
      io.continuum.operator.PlacementService placements,
      ZoneTopology topology,
      String host,
      int port) {
    Function<HttpRequest, CompletionStage<HttpResponse>> topicHandler =
        TopicServiceHandlerFactory.partial(new TopicGrpcService(topics), TopicService.name, system);
    Function<HttpRequest, CompletionStage<HttpResponse>> clusterHandler =
        ClusterServiceHandlerFactory.partial(
            new ClusterGrpcService(system, topology), ClusterService.name, system);
    Function<HttpRequest, CompletionStage<HttpResponse>> functionHandler =
        FunctionServicePowerApiHandlerFactory.partial(
            new FunctionGrpcService(functions), FunctionService.name, system);
    Function<HttpRequest, CompletionStage<HttpResponse>> objectHandler =
        ObjectServiceHandlerFactory.partial(
            new ObjectGrpcService(objects), ObjectService.name, system);
    Function<HttpRequest, CompletionStage<HttpResponse>> placementHandler =
        PlacementServiceHandlerFactory.partial(
            new PlacementGrpcService(placements), PlacementService.name, system);
    Function<HttpRequest, CompletionStage<HttpResponse>> reflection =
        ServerReflection.create(
            List.of(
                TopicService.description,
                FunctionService.description,
                ClusterService.description,
                ObjectService.description,
                PlacementService.description),
            system);
    @SuppressWarnings("unchecked")
    Function<HttpRequest, CompletionStage<HttpResponse>> handler =
        ServiceHandler.concatOrNotFound(
            topicHandler,
            functionHandler,
            clusterHandler,
            objectHandler,
            placementHandler,
            reflection);
    RequestSizeLimit sizeLimit =
        new RequestSizeLimit(
            system.settings().config().getBytes("pekko.http.server.parsing.max-content-length"));
    Function<HttpRequest, CompletionStage<HttpResponse>> limited =
        request -> handler.apply(request.transformEntityDataBytes(sizeLimit));
    return Http.get(system)
        .newServerAt(host, port)
        .bind(limited)
        .thenApply(binding -> binding.addToCoordinatedShutdown(Duration.ofSeconds(5), system));
  }
}
