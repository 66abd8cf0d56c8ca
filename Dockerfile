# Web app image. Build from the repository root: docker build -t deliverability .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
RUN dotnet publish src/Deliverability.Web -c Release -o /app/web \
 && dotnet publish src/Deliverability.Cli -c Release -o /app/cli

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app/web ./
COPY --from=build /app/cli ./cli/
ENV ASPNETCORE_URLS=http://+:8080 \
    DataProtection__KeysDirectory=/keys \
    Database__MigrateOnStartup=true
# The app runs as $APP_UID (set by the aspnet base image): it must own the keys folder. A new named volume takes the
# owner and mode of this folder, so the Data Protection keys (cookies, the encrypted DQS key) can be written.
RUN mkdir -p /keys && chown "$APP_UID:$APP_UID" /keys && chmod 700 /keys
VOLUME /keys
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "Deliverability.Web.dll"]
