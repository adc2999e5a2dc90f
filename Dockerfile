# syntax=docker/dockerfile:1
# isolation-operator image.
#   docker build --build-arg VERSION=0.1.0 --build-arg COMMIT=$(git rev-parse HEAD) -t isolation-operator:0.1.0 .
# The build stage runs on the builder's own platform: the output is framework-dependent IL (no apphost), the same
# for every architecture, so a multi-platform build (--platform linux/amd64,linux/arm64) needs no emulation.

ARG VERSION=0.1.0
ARG COMMIT=unknown
# Where the source lives and its SPDX licence expression, for the OCI labels: set them in CI
# (--build-arg SOURCE=<repository URL> --build-arg LICENSES=<SPDX id>); the repository has no LICENSE file yet.
ARG SOURCE=unknown
ARG LICENSES=NOASSERTION

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG VERSION
ARG COMMIT
WORKDIR /src

# Restore first, from the files that decide the package graph only: this layer is reused until one of them changes.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/IsolationOperator/IsolationOperator.csproj src/IsolationOperator/
RUN dotnet restore src/IsolationOperator/IsolationOperator.csproj

COPY src/IsolationOperator/ src/IsolationOperator/
RUN dotnet publish src/IsolationOperator -c Release -o /app --no-restore \
        -p:Version=$VERSION -p:SourceRevisionId=$COMMIT -p:UseAppHost=false

# Chiseled Ubuntu: no shell, no package manager, only the .NET runtime and its libraries; non-root user "app"
# (uid/gid 1654, $APP_UID) by default. The Helm chart runs the pod as that uid (runAsUser: 1654).
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled AS runtime
ARG VERSION
ARG COMMIT
ARG SOURCE
ARG LICENSES
LABEL org.opencontainers.image.title="isolation-operator" \
      org.opencontainers.image.description="Kubernetes operator: DemoTenant -> isolated namespace" \
      org.opencontainers.image.version="$VERSION" \
      org.opencontainers.image.revision="$COMMIT" \
      org.opencontainers.image.source="$SOURCE" \
      org.opencontainers.image.licenses="$LICENSES"

WORKDIR /app
COPY --from=build /app ./

# The operator binds its own port (Operator__MetricsPort, default 8080) and says so with UseUrls; clearing the base
# image's ASPNETCORE_HTTP_PORTS avoids Kestrel's "Overriding HTTP_PORTS" warning at every start.
ENV ASPNETCORE_HTTP_PORTS=
# Numeric, i.e. "app" (1654): Kubernetes can only check runAsNonRoot against a numeric image user.
USER $APP_UID
EXPOSE 8080
ENTRYPOINT ["dotnet", "IsolationOperator.dll"]
