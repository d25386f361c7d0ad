namespace StepScaling.Tuning;

/// <summary>Thrown when tuning has no target: none was given and the stack has no per-task scale-out policy to take one from. Front ends name their own way to give one (a CLI option).</summary>
public sealed class TargetNeededException : ArgumentException
{
    /// <summary>Creates the exception with the neutral message.</summary>
    public TargetNeededException()
        : base("The stack has no per-task scale-out policy to take a target from; give a target.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TargetNeededException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public TargetNeededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
