using MudBlazor;

namespace Deliverability.Web.Components.Layout;

/// <summary>One theme for the whole app; components take colours from it, never from inline styles.</summary>
public static class DeliverabilityTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f5fbf",
            Secondary = "#00897b",
            AppbarBackground = "#17325c",
            Background = "#f5f7fb",
            DrawerBackground = "#ffffff",
            Success = "#2e7d32",
            Warning = "#ed6c02",
            Error = "#c62828",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#6ea8ff",
            Secondary = "#4db6ac",
            AppbarBackground = "#101a2b",
            Background = "#0d1320",
            Surface = "#151e2f",
            DrawerBackground = "#121a29",
            Success = "#66bb6a",
            Warning = "#ffa726",
            Error = "#ef5350",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
    };
}
