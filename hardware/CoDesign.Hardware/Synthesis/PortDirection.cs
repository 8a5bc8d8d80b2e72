namespace CoDesign.Hardware.Synthesis;

/// <summary>Direction of a module port.</summary>
public enum PortDirection
{
    /// <summary>Driven from outside the module.</summary>
    Input,

    /// <summary>Driven by the module.</summary>
    Output,

    /// <summary>Both (a tristate pin); synthesis of such a module is refused.</summary>
    Inout,
}
