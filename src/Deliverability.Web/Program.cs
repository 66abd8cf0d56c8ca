using Deliverability.Core;
using Deliverability.Web.Api;
using Deliverability.Web.Auth;
using Deliverability.Web.Components;
using Deliverability.Web.Features.Bounces;
using Deliverability.Web.Features.Checks;
using Deliverability.Web.Features.Ips;
using Deliverability.Web.Features.Metrics;
using Deliverability.Web.Features.Reports;
using Deliverability.Web.Health;
using Deliverability.Web.Ingestion;
using Deliverability.Web.Jobs;
using Deliverability.Web.Security;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddDeliverabilityCore(builder.Configuration);
builder.Services.AddDeliverabilityAuth(builder.Configuration, builder.Environment);
builder.Services.AddDeliverabilityBrowserSecurity(builder.Configuration);
builder.Services.AddDeliverabilityJobs(builder.Configuration);
builder.Services.AddDeliverabilityHealthChecks();
builder.Services.AddDeliverabilityIngestion();
builder.Services.AddApiProblemDetails();
builder.Services.AddOpenApi();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();

var app = builder.Build();

await app.MigrateOnStartupIfConfiguredAsync();
app.UseDeliverabilityBrowserSecurity();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}

app.UseApiProblemDetails();

// Friendly pages for people; API clients get the bare status code and a problem body.
app.UseWhen(
    http => !http.Request.Path.StartsWithSegments("/api") && !http.Request.Path.StartsWithSegments("/hangfire"),
    pages => pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
app.UseAuthentication();
app.UseAuthorization();
app.UseApiAntiforgeryForCookies();
app.UseAntiforgery();

app.MapStaticAssets().AllowAnonymous();
app.MapDeliverabilityHealthChecks();
app.MapAccountEndpoints();
app.MapApiAntiforgeryToken();
app.MapChecksEndpoints();
app.MapSendingIpsEndpoints();
app.MapBouncesEndpoints();
app.MapReportsEndpoints();
app.MapIngestEndpoints();
app.MapMetricsEndpoints();
app.MapOpenApi();
app.MapDeliverabilityHangfireDashboard();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

await app.RunAsync();

public partial class Program;
