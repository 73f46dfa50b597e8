# Checkout Routes (and, with -Dloader.main, the Antom sandbox) as one image.
FROM eclipse-temurin:17.0.15_6-jdk-jammy AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src src
RUN ./mvnw -B -q package -DskipTests

FROM eclipse-temurin:17.0.15_6-jre-jammy
RUN useradd --system --uid 10001 checkout
WORKDIR /app
COPY --from=build /src/target/checkout-routes.jar /app/checkout-routes.jar
# defaults; docker-compose mounts the operator's ./config and ./routes over these
COPY config /app/config
COPY routes /app/routes
RUN mkdir -p /app/data && chown -R checkout /app/data
USER checkout
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/checkout-routes.jar"]
