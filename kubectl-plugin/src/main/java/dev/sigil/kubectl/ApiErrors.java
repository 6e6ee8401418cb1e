package dev.sigil.kubectl;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.net.HttpURLConnection;

/** API server failures as one line that says what to check. */
final class ApiErrors {
    private ApiErrors() {
    }

    static String describe(KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN) {
            return "forbidden: " + statusMessage(e) + " (check your RBAC: kubectl auth can-i list signedbpfprograms.sigil.dev)";
        }
        if (e.getCode() == HttpURLConnection.HTTP_UNAUTHORIZED) {
            return "unauthorized: the API server refused the credentials of this kubeconfig context";
        }
        if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND && statusMessage(e).contains("the server could not find")) {
            return "the API server does not serve sigil.dev/v1alpha1: are Sigil's CRDs installed? (kubectl apply --server-side -f crds/)";
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return "cannot reach the API server: " + cause.getMessage() + " (check --context, --kubeconfig or KUBECONFIG)";
            }
        }
        return statusMessage(e);
    }

    private static String statusMessage(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return e.getStatus().getMessage();
        }
        return e.getMessage();
    }
}
