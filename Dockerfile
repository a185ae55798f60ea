# Builds the Lights-Out jar and runs it on a JRE. Used by docker-compose.yml.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY .mvn .mvn
RUN mvn -q dependency:go-offline
COPY src src
COPY processes processes
COPY forms forms
RUN mvn -q package -DskipTests

FROM eclipse-temurin:17-jre
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /app --shell /usr/sbin/nologin lightsout
WORKDIR /app
COPY --from=build /src/target/lightsout-*.jar /app/lightsout.jar
COPY src/main/jvm/lightsout.jvm.options /app/lightsout.jvm.options
RUN mkdir -p /app/data && chown lightsout /app/data
USER lightsout
# glibc's malloc arenas per thread otherwise add tens of MB to the JVM's resident memory (README, JVM options)
ENV MALLOC_ARENA_MAX=2
EXPOSE 8080
ENTRYPOINT ["java", "@/app/lightsout.jvm.options", "-jar", "/app/lightsout.jar"]
