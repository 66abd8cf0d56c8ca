using Deliverability.Core.Data;
using Deliverability.Core.Delisting;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Deliverability.Web.Tests.Features.Delisting;

/// <summary>The services a delisting component asks for; the database is never reached by the tests built on it.</summary>
public abstract class DelistingComponentContext : BunitContext
{
    protected DelistingComponentContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddDbContextFactory<DeliverabilityDbContext>(o => o.UseNpgsql("Host=unused"));
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton(new RecordedJobs().DiagnosisRequests);
        Services.AddSingleton<DelistingCases>();
        Services.AddSingleton<DelistingCaseReader>();
    }
}
