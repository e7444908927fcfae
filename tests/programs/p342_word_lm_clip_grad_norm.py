# The word_language_model example of 2017: a Corpus/Dictionary, batchify with narrow/view/
# t().contiguous(), get_batch(source, i, evaluation=False) with volatile Variables,
# repackage_hidden via Variable(h.data), torch.nn.utils.clip_grad_norm (no underscore), the
# manual update p.data.add_(-lr, p.grad.data), math.exp perplexities, lr annealing.
import math

import torch
import torch.nn as nn
from torch.autograd import Variable

torch.manual_seed(1111)


class Dictionary(object):
    def __init__(self):
        self.word2idx = {}
        self.idx2word = []

    def add_word(self, word):
        if word not in self.word2idx:
            self.idx2word.append(word)
            self.word2idx[word] = len(self.idx2word) - 1
        return self.word2idx[word]

    def __len__(self):
        return len(self.idx2word)


text = ("the cat sat on the mat . the dog sat on the log . a cat saw a dog . "
        "the dog saw the cat on the mat . a bird sat on the log . ") * 4
dictionary = Dictionary()
tokens = text.split() + ['<eos>']
ids = torch.LongTensor(len(tokens))
for i, w in enumerate(tokens):
    ids[i] = dictionary.add_word(w)
print(len(dictionary), ids.size(), ids[:8])


def batchify(data, bsz):
    nbatch = data.size(0) // bsz
    data = data.narrow(0, 0, nbatch * bsz)
    data = data.view(bsz, -1).t().contiguous()
    return data


train_data = batchify(ids[:112], 4)
val_data = batchify(ids[112:], 2)
print(train_data.size(), val_data.size(), train_data.is_contiguous())
bptt = 7


def get_batch(source, i, evaluation=False):
    seq_len = min(bptt, len(source) - 1 - i)
    data = Variable(source[i:i + seq_len], volatile=evaluation)
    target = Variable(source[i + 1:i + 1 + seq_len].view(-1))
    return data, target


class RNNModel(nn.Module):
    def __init__(self, ntoken, ninp, nhid, nlayers, dropout=0.2, tie_weights=True):
        super(RNNModel, self).__init__()
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.LSTM(ninp, nhid, nlayers, dropout=dropout)
        self.decoder = nn.Linear(nhid, ntoken)
        if tie_weights:
            self.decoder.weight = self.encoder.weight
        self.init_weights()
        self.nhid, self.nlayers = nhid, nlayers

    def init_weights(self):
        initrange = 0.1
        self.encoder.weight.data.uniform_(-initrange, initrange)
        self.decoder.bias.data.fill_(0)
        self.decoder.weight.data.uniform_(-initrange, initrange)

    def forward(self, input, hidden):
        emb = self.drop(self.encoder(input))
        output, hidden = self.rnn(emb, hidden)
        output = self.drop(output)
        decoded = self.decoder(output.view(output.size(0) * output.size(1), output.size(2)))
        return decoded.view(output.size(0), output.size(1), decoded.size(1)), hidden

    def init_hidden(self, bsz):
        weight = next(self.parameters()).data
        return (Variable(weight.new(self.nlayers, bsz, self.nhid).zero_()),
                Variable(weight.new(self.nlayers, bsz, self.nhid).zero_()))


def repackage_hidden(h):
    """Wraps hidden states in new Variables, to detach them from their history."""
    if type(h) == Variable or isinstance(h, torch.Tensor):
        return Variable(h.data)
    else:
        return tuple(repackage_hidden(v) for v in h)


ntokens = len(dictionary)
model = RNNModel(ntokens, 12, 12, 2)
print(model, model.decoder.weight is model.encoder.weight, len(list(model.parameters())))
criterion = nn.CrossEntropyLoss()


def evaluate(data_source, eval_batch_size=2):
    model.eval()
    total_loss = 0
    hidden = model.init_hidden(eval_batch_size)
    for i in range(0, data_source.size(0) - 1, bptt):
        data, targets = get_batch(data_source, i, evaluation=True)
        output, hidden = model(data, hidden)
        output_flat = output.view(-1, ntokens)
        total_loss += len(data) * criterion(output_flat, targets).data
        hidden = repackage_hidden(hidden)
    return total_loss.item() / len(data_source)


lr, clip = 5.0, 0.25
best_val_loss = None
for epoch in range(1, 4):
    model.train()
    total_loss = 0
    hidden = model.init_hidden(4)
    for batch, i in enumerate(range(0, train_data.size(0) - 1, bptt)):
        data, targets = get_batch(train_data, i)
        hidden = repackage_hidden(hidden)
        model.zero_grad()
        output, hidden = model(data, hidden)
        loss = criterion(output.view(-1, ntokens), targets)
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm(model.parameters(), clip)
        for p in model.parameters():
            p.data.add_(p.grad.data, alpha=-lr)
        total_loss += loss.data
    cur_loss = total_loss.item() / (batch + 1)
    val_loss = evaluate(val_data)
    print('| epoch {:3d} | lr {:02.2f} | loss {:5.2f} | ppl {:8.2f} | valid ppl {:8.2f} | '
          'norm {}'.format(epoch, lr, cur_loss, math.exp(cur_loss), math.exp(val_loss),
                           type(norm).__name__))
    if not best_val_loss or val_loss < best_val_loss:
        best_val_loss = val_loss
    else:
        lr /= 4.0
print(round(best_val_loss, 2), hidden[0].requires_grad, hidden[0].grad_fn is not None)
# clip_grad_norm_ returns the total norm before clipping; the grads end up at most max_norm
model.zero_grad()
output, _ = model(*get_batch(train_data, 0)[:1], model.init_hidden(4))
criterion(output.view(-1, ntokens), get_batch(train_data, 0)[1]).backward()
total = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.5, norm_type=2)
after = torch.norm(torch.stack([p.grad.norm(2) for p in model.parameters()]), 2)
print(total.item() > 0.5, round(after.item(), 4), torch.nn.utils.clip_grad_value_(model.parameters(), 0.01))
print(max(p.grad.abs().max().item() for p in model.parameters()) <= 0.01)
