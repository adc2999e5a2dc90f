namespace IsolationOperator.Engine;

/// <summary>How the operator names itself to the API server: every write it makes is traceable to these.</summary>
public static class OperatorIdentity
{
    public const string FieldManager = "isolation-operator";
    public const string ControllerName = "isolation.demo.dev/demotenant-controller";
    public const string Finalizer = "isolation.demo.dev/finalizer";
}
