// SPDX-License-Identifier: GPL-3.0-or-later
// Runs a libFuzzer target without libFuzzer: every seed of the corpus folders given, then a
// fixed number of deterministic mutations of them. Built with any compiler, so each fuzz
// target's seeds and a quick mutation run are part of every test run; the coverage-guided
// run is the clang build (tests/fuzz/libfuzzer).
//
// usage: <target> [-runs=N] [-seed=S] CORPUS_DIR...
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {

std::vector<std::string> readCorpus(const std::string &dir)
{
    std::vector<std::string> inputs;
    DIR *d = opendir(dir.c_str());
    if (!d)
        return inputs;
    while (dirent *entry = readdir(d)) {
        if (entry->d_name[0] == '.')
            continue;
        std::ifstream file(dir + "/" + entry->d_name, std::ios::binary);
        inputs.emplace_back(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
    }
    closedir(d);
    return inputs;
}

std::string mutate(std::string input, const std::vector<std::string> &corpus, std::mt19937 &rng)
{
    // Bytes that matter to text formats and to MQTT's length fields.
    static const char interesting[] = {'\0', '\n', '\r', '[', ']', '#', '=',    ',',    '"',   '\'',
                                       ' ',  '\t', '$',  '+', '/', ':', '\x7f', '\x80', '\xff'};
    const int steps = 1 + int(rng() % 4);
    for (int i = 0; i < steps; ++i) {
        const size_t pos = input.empty() ? 0 : rng() % (input.size() + 1);
        switch (rng() % 6) {
        case 0: // flip a bit
            if (!input.empty())
                input[pos % input.size()] ^= char(1u << (rng() % 8));
            break;
        case 1: // insert an interesting byte
            input.insert(pos, 1, interesting[rng() % sizeof(interesting)]);
            break;
        case 2: // delete a run
            if (!input.empty())
                input.erase(pos % input.size(), 1 + rng() % 8);
            break;
        case 3: // duplicate a run
            if (!input.empty()) {
                const size_t from = rng() % input.size();
                input.insert(pos, input.substr(from, 1 + rng() % 16));
            }
            break;
        case 4: // splice with another seed
            if (!corpus.empty()) {
                const std::string &other = corpus[rng() % corpus.size()];
                input = input.substr(0, pos)
                        + other.substr(other.empty() ? 0 : rng() % other.size());
            }
            break;
        default: // overwrite with a random byte
            if (!input.empty())
                input[pos % input.size()] = char(rng());
            break;
        }
    }
    return input;
}

} // namespace

int main(int argc, char **argv)
{
    long runs = 10000;
    unsigned seed = 1;
    std::vector<std::string> corpus;
    for (int i = 1; i < argc; ++i) {
        if (std::strncmp(argv[i], "-runs=", 6) == 0)
            runs = std::atol(argv[i] + 6);
        else if (std::strncmp(argv[i], "-seed=", 6) == 0)
            seed = unsigned(std::strtoul(argv[i] + 6, nullptr, 10));
        else
            for (std::string &input : readCorpus(argv[i]))
                corpus.push_back(std::move(input));
    }
    if (corpus.empty()) {
        std::fprintf(stderr, "no seed inputs found in the corpus folders given\n");
        return 2;
    }
    for (const std::string &input : corpus)
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(input.data()), input.size());
    std::mt19937 rng(seed);
    for (long i = 0; i < runs; ++i) {
        const std::string input = mutate(corpus[rng() % corpus.size()], corpus, rng);
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(input.data()), input.size());
    }
    std::printf("%zu seeds and %ld mutations ran without a crash\n", corpus.size(), runs);
    return 0;
}
