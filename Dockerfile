# Two images from one build:
#   --target app      Checkout Routes (target/checkout-routes.jar); the default, being the last stage
#   --target sandbox  the Antom sandbox (target/antom-sandbox.jar), docker-compose's "Antom"
# docker-compose.yml builds both; nothing needs to be built on the host first.

FROM eclipse-temurin:25.0.3_9-jdk-noble AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
# src holds the service (src/main), the tests and the sandbox (src/sandbox, compiled with the tests and packaged
# by src/sandbox/assembly.xml), so tests are compiled but not run: -DskipTests, never -Dmaven.test.skip=true
COPY src src
RUN ./mvnw -B -q package -DskipTests

# What both images share: the JRE, curl for the health checks (the Temurin image has it today, but only "for
# historical reasons"), and the non-root user.
FROM eclipse-temurin:25.0.3_9-jre-noble AS runtime
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 checkout
WORKDIR /app

FROM runtime AS sandbox
COPY --from=build /src/target/antom-sandbox.jar /app/antom-sandbox.jar
# its defaults (config/sandbox-keys, relative to /app); docker-compose mounts ./config/sandbox-keys over them
COPY config/sandbox-keys /app/config/sandbox-keys
# owned by the user, so the named volumes mounted here start out writable by it
RUN mkdir -p /app/data/reports /app/data/sandbox-state && chown -R checkout /app/data
USER checkout
EXPOSE 8089
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/antom-sandbox.jar"]

FROM runtime AS app
COPY --from=build /src/target/checkout-routes.jar /app/checkout-routes.jar
# defaults; docker-compose mounts the operator's ./config and ./routes over these. Not config/sandbox-keys: the
# sandbox's Antom private key in the service's image would let anyone who reads the image sign as "Antom" to a
# service pointed at the sandbox's public key
COPY config/application.yml /app/config/application.yml
COPY config/schemas /app/config/schemas
COPY routes /app/routes
# data/reports: where reconciliation reads Antom's transaction reports (CHECKOUT_RECONCILIATION_REPORT_DIR)
RUN mkdir -p /app/data/reports && chown -R checkout /app/data
USER checkout
EXPOSE 8080
# The Parallel collector, not the JVM's default G1: on two cores the service did about 18 % more orders a second
# at saturation and had a lower p99 below it, as G1's concurrent marking and barriers cost more CPU than Parallel's
# short young pauses (docs/benchmarks.md, "The collector"). Its full collections stop the service for longer (about
# 220 ms); for G1, run the image with --entrypoint java and these arguments without -XX:+UseParallelGC.
ENTRYPOINT ["java", "-XX:+UseParallelGC", "-XX:MaxRAMPercentage=75", "-jar", "/app/checkout-routes.jar"]
