package dev.sigil.agent.node;

/** What adopting one resource's pins did. */
sealed interface AdoptOutcome {

    /** Its pins still hold the programs its record names; the host holds them now, attached as they were. */
    record Adopted(HostedResource resource) implements AdoptOutcome {
    }

    /** Its pins cannot be taken over; nothing of them is held. */
    record NotAdopted(Failure failure) implements AdoptOutcome {
    }
}
