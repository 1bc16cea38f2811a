"""Writes a word-level tokenizer.json (tokenizers package) for
sentences.test: [PAD] 0, [UNK] 1, then the words below in order; split on
whitespace."""
import sys

from tokenizers import Tokenizer, models, pre_tokenizers

WORDS = ("the cat sat on mat a dog ran to park and too one two three four "
         "five six seven eight nine ten eleven twelve end").split()
vocab = {"[PAD]": 0, "[UNK]": 1}
for w in WORDS:
    vocab.setdefault(w, len(vocab))
tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
tokenizer.save(sys.argv[1])
