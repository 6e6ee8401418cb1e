package dev.sigil.bench.operator;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The driver's view of every SignedBpfProgram, as a user's {@code kubectl get -w} would see it: one
 * informer. A measurement names the programs, a goal each must reach, and a start; each program is
 * stamped the first time the watch shows it at its goal, so the result is the time until the last one
 * got there (watch delivery included, as a user would see it).
 */
final class ProgramWatch implements AutoCloseable {
    private final SharedIndexInformer<SignedBpfProgram> informer;
    private final Map<String, SignedBpfProgram> latest = new ConcurrentHashMap<>();
    private volatile Measurement measurement;

    private record Measurement(Set<String> programs, Predicate<SignedBpfProgram> goal, long startNanos,
            Map<String, Long> reachedNanos) {
        void offer(SignedBpfProgram program, long nowNanos) {
            String name = program.getMetadata().getName();
            if (programs.contains(name) && goal.test(program)) {
                reachedNanos.putIfAbsent(name, nowNanos);
            }
        }
    }

    ProgramWatch(KubernetesClient client) {
        informer = client.resources(SignedBpfProgram.class).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(SignedBpfProgram program) {
                seen(program);
            }

            @Override
            public void onUpdate(SignedBpfProgram before, SignedBpfProgram after) {
                seen(after);
            }

            @Override
            public void onDelete(SignedBpfProgram program, boolean finalStateUnknown) {
                latest.remove(program.getMetadata().getName());
            }
        }, 0);
    }

    private void seen(SignedBpfProgram program) {
        latest.put(program.getMetadata().getName(), program);
        Measurement current = measurement;
        if (current != null) {
            current.offer(program, System.nanoTime());
        }
    }

    SignedBpfProgram get(String name) {
        return latest.get(name);
    }

    /**
     * @param startNanos when the clock started ({@link System#nanoTime()}), possibly before this call
     * @return how long after the start the last program reached the goal
     * @throws IllegalStateException naming how many had not reached it when the timeout passed
     */
    Duration await(Set<String> programs, Predicate<SignedBpfProgram> goal, long startNanos, Duration timeout)
            throws InterruptedException {
        Measurement current = new Measurement(Set.copyOf(programs), goal, startNanos, new ConcurrentHashMap<>());
        measurement = current;
        long now = System.nanoTime();
        programs.stream().map(latest::get).filter(java.util.Objects::nonNull).forEach(program -> current.offer(program, now));
        long deadline = startNanos + timeout.toNanos();
        while (current.reachedNanos().size() < programs.size()) {
            if (System.nanoTime() > deadline) {
                measurement = null;
                throw new IllegalStateException((programs.size() - current.reachedNanos().size()) + " of "
                        + programs.size() + " programs had not reached the goal after " + timeout
                        + "; e.g. " + programs.stream().filter(p -> !current.reachedNanos().containsKey(p)).findFirst()
                                .map(latest::get).map(p -> p == null ? "(not seen)" : String.valueOf(
                                        io.fabric8.kubernetes.client.utils.Serialization.asJson(p.getStatus())))
                                .orElse(""));
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        measurement = null;
        long last = current.reachedNanos().values().stream().mapToLong(Long::longValue).max().orElse(startNanos);
        return Duration.ofNanos(Math.max(0, last - startNanos));
    }

    @Override
    public void close() {
        informer.close();
    }
}
