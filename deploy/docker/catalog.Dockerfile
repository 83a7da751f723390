# syntax=docker/dockerfile:1
# The catalog deployable. Build from the repository root:  docker build -f deploy/docker/catalog.Dockerfile .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS projects
# Keep only this deployable's project files, so the restore layer below survives source edits.
WORKDIR /src
COPY services/Shared/ services/Shared/
COPY services/Catalog/ services/Catalog/
COPY deploy/docker/TradeNet.HealthProbe/ deploy/docker/TradeNet.HealthProbe/
RUN find . -type f ! -name '*.csproj' ! -name '*.props' ! -name '*.targets' -delete

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH=amd64
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY --from=projects /src/ ./
RUN RID=linux-$( [ "$TARGETARCH" = arm64 ] && echo arm64 || echo x64 ) \
 && dotnet restore services/Catalog/TradeNet.Catalog/TradeNet.Catalog.csproj -r "$RID" \
 && dotnet restore deploy/docker/TradeNet.HealthProbe/TradeNet.HealthProbe.csproj
COPY services/Shared/ services/Shared/
COPY services/Catalog/ services/Catalog/
COPY deploy/docker/TradeNet.HealthProbe/ deploy/docker/TradeNet.HealthProbe/
RUN RID=linux-$( [ "$TARGETARCH" = arm64 ] && echo arm64 || echo x64 ) \
 && dotnet publish services/Catalog/TradeNet.Catalog/TradeNet.Catalog.csproj -c Release -r "$RID" --self-contained false --no-restore -o /out/app \
 && dotnet publish deploy/docker/TradeNet.HealthProbe/TradeNet.HealthProbe.csproj -c Release --no-restore -o /out/probe

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /out/app ./
COPY --from=build /out/probe /probe/
# The base image's ASPNETCORE_HTTP_PORTS=8080 is cleared: the Endpoints__ settings say where to listen, and Kestrel
# warned at every start that it overrode 8080.
ENV ASPNETCORE_HTTP_PORTS= \
    Endpoints__Rest=http://0.0.0.0:5101 \
    Endpoints__Grpc=http://0.0.0.0:5102 \
    Storage__DataDir=/data
RUN mkdir -p /data && chown $APP_UID /data
VOLUME /data
USER $APP_UID
EXPOSE 5101 5102
# aspnet images have no curl or wget; the probe is a few lines of HttpClient.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=6 \
    CMD ["dotnet", "/probe/TradeNet.HealthProbe.dll", "http://127.0.0.1:5101/health"]
ENTRYPOINT ["dotnet", "TradeNet.Catalog.dll"]
