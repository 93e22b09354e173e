package io.djlgather.samples.zoo;

import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooProvider;

/** Registers {@link SamplesModelZoo} with DJL (listed in META-INF/services). */
public final class SamplesZooProvider implements ZooProvider {

    @Override
    public String getName() {
        return "djl-gather samples";
    }

    @Override
    public ModelZoo getModelZoo() {
        return new SamplesModelZoo();
    }
}
