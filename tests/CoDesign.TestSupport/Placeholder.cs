namespace CoDesign.TestSupport;

internal static class Placeholder
{
}
